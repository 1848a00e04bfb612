// Attack: inject keystrokes into a controlling terminal with TIOCSTI/TIOCLINUX; there is no tty and the ioctls are denied.
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
#include <sys/ioctl.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char c = 0x03;
    for (int fd = 0; fd < 3; fd++) {
        char what[64];
        snprintf(what, sizeof what, "ioctl(%d, TIOCSTI)", fd);
        probe(what, ioctl(fd, TIOCSTI, &c));
    }
    char sub = 12;
    probe("ioctl(1, TIOCLINUX)", ioctl(1, TIOCLINUX, &sub));
    probe("open(/dev/tty)", open("/dev/tty", O_RDWR));
    printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));
    return 0;
}
