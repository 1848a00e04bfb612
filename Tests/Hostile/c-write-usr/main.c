// Attack: plant or modify files in the toolchain (/usr, /bin, /lib) and the jail root; read-only binds must refuse.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void create(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);
    if (fd < 0) {
        printf("create %s: %s\n", path, en(errno));
        return;
    }
    printf("create %s: OK (LEAK)\n", path);
    close(fd);
    unlink(path);
}
static void open_rw(const char *path) {  // opening an existing file for writing, never writing to it
    int fd = open(path, O_WRONLY);
    printf("open for write %s: %s\n", path, fd < 0 ? en(errno) : "OK (LEAK)");
    if (fd >= 0)
        close(fd);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    create("/usr/bin/polygrader-planted");
    create("/usr/lib/polygrader-planted.so");
    create("/bin/polygrader-planted");
    create("/lib/polygrader-planted");
    create("/usr/local/bin/python3");
    create("/polygrader-planted");
    open_rw("/usr/bin/env");
    open_rw("/usr/bin/python3");
    open_rw("/etc/ld.so.cache");
    int r = mkdir("/usr/polygrader-planted", 0755);
    printf("mkdir /usr/polygrader-planted: %s\n", r < 0 ? en(errno) : "OK (LEAK)");
    if (r == 0)
        rmdir("/usr/polygrader-planted");
    return 0;
}
