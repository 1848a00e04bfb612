// Attack: create device nodes (disk, /dev/mem, /dev/kmsg) in /box and /tmp to reach hardware; mknod must fail.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void node(const char *path, mode_t type, unsigned major, unsigned minor) {
    int r = mknod(path, type | 0666, makedev(major, minor));
    printf("mknod %s %u:%u: %s\n", path, major, minor, r < 0 ? en(errno) : "OK (LEAK)");
    if (r == 0) {
        int fd = open(path, O_RDONLY);
        printf("open %s: %s\n", path, fd < 0 ? en(errno) : "OK (LEAK)");
        unlink(path);
    }
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    node("/box/sda", S_IFBLK, 8, 0);
    node("/box/vda", S_IFBLK, 253, 0);
    node("/box/mem", S_IFCHR, 1, 1);
    node("/tmp/kmsg", S_IFCHR, 1, 11);
    node("/box/null", S_IFCHR, 1, 3);
    return 0;
}
