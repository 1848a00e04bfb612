// Attack: create a userfaultfd (a classic tool for winning kernel races); must fail.
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
#include <fcntl.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    probe("userfaultfd(UFFD_USER_MODE_ONLY)", syscall(SYS_userfaultfd, O_CLOEXEC | 1));
    probe("userfaultfd(0)", syscall(SYS_userfaultfd, O_CLOEXEC));
    probe("open(/dev/userfaultfd)", open("/dev/userfaultfd", O_RDWR));
    return 0;
}
