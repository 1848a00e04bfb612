// Attack: set up io_uring (a rich kernel attack surface that also bypasses seccomp for its operations); must fail.
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
#include <linux/io_uring.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    probe("io_uring_setup(8)", syscall(SYS_io_uring_setup, 8, &p));
    probe("io_uring_enter(-1)", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
    probe("io_uring_register(-1)", syscall(SYS_io_uring_register, -1, 0, NULL, 0));
    return 0;
}
