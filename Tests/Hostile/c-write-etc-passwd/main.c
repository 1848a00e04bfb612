// Attack: append to /etc/passwd, plant files in /etc; and show that the jail's passwd is a tiny generated one, not the host's.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *targets[] = {"/etc/passwd", "/etc/group", "/etc/hosts", "/etc/nsswitch.conf", "/etc/ld.so.preload"};
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        int fd = open(targets[i], O_WRONLY | O_APPEND);  // opened, never written
        printf("open for append %s: %s\n", targets[i], fd < 0 ? en(errno) : "OK (LEAK)");
        if (fd >= 0)
            close(fd);
    }
    int fd = open("/etc/ld.so.preload", O_WRONLY | O_CREAT | O_EXCL, 0644);
    printf("create /etc/ld.so.preload: %s\n", fd < 0 ? en(errno) : "OK (LEAK)");
    if (fd >= 0)
        unlink("/etc/ld.so.preload");
    FILE *f = fopen("/etc/passwd", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        printf("passwd| %s", line);
    return 0;
}
