// Attack: pivot_root to swap the jail's root for another; must fail.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
__attribute__((unused)) static void probe(const char *what, long r) {  // a forbidden call that succeeds is a LEAK
    if (r < 0)
        printf("%s: %s\n", what, en(errno));
    else
        printf("%s: OK (LEAK) %ld\n", what, r);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    probe("pivot_root(/tmp, /tmp)", syscall(SYS_pivot_root, "/tmp", "/tmp"));
    probe("pivot_root(/, /)", syscall(SYS_pivot_root, "/", "/"));
    return 0;
}
