// Attack: climb out of /box with .., chdir("..") loops and /proc/self/{root,cwd} and write there; the root must be read-only.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void create(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    char cwd[256] = "?";
    if (getcwd(cwd, sizeof cwd) == NULL)
        strcpy(cwd, en(errno));
    printf("create %s (cwd %s): %s\n", path, cwd, fd < 0 ? en(errno) : "OK (LEAK)");
    if (fd >= 0)
        unlink(path);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    create("/box/../../escaped");
    create("/box/../../../etc/escaped");
    create("/box/../tmp/../../usr/escaped");
    create("/proc/self/root/../../escaped");
    create("/proc/self/cwd/../../../escaped");
    int r = mkdir("/box/../../escaped-dir", 0755);
    printf("mkdir /box/../../escaped-dir: %s\n", r < 0 ? en(errno) : "OK (LEAK)");
    if (r == 0)
        rmdir("/box/../../escaped-dir");
    for (int i = 0; i < 20; i++)
        chdir("..");
    create("escaped");
    create("./etc/escaped");
    create("./dev/escaped");
    create("./proc/escaped");
    return 0;
}
