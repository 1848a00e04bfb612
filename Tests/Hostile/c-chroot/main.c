// Attack: chroot into /tmp (and the classic chroot + chdir(..) escape); must fail.
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
    probe("chroot(/tmp)", chroot("/tmp"));
    probe("chroot(/)", chroot("/"));
    for (int i = 0; i < 10; i++)
        chdir("..");
    probe("chroot(.)", chroot("."));
    return 0;
}
