// Attack: feed the kernel and the grader weird paths: NULL, wild pointers, over-long, non-UTF-8, newlines, deep nesting.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void try_open(const char *label, const char *path, int flags) {
    int fd = open(path, flags, 0644);
    printf("open(%s): %s\n", label, fd < 0 ? en(errno) : "OK");
    if (fd >= 0)
        close(fd);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    static char longpath[8192], longname[300];
    memset(longpath, 'a', sizeof longpath - 1);
    memset(longname, 'b', sizeof longname - 1);
    try_open("NULL", NULL, O_RDONLY);
    try_open("wild pointer", (const char *)16, O_RDONLY);
    try_open("kernel pointer", (const char *)0xffffffff81000000UL, O_RDONLY);
    try_open("8191-byte path", longpath, O_RDONLY);
    try_open("299-byte name", longname, O_WRONLY | O_CREAT);
    try_open("empty path", "", O_RDONLY);
    try_open("non-UTF-8 name", "/box/\xff\xfe\xc0\xaf-name", O_WRONLY | O_CREAT);
    try_open("name with newline", "/box/line1\nline2", O_WRONLY | O_CREAT);
    try_open("name with escape codes", "/box/\x1b[31mred\x1b[0m", O_WRONLY | O_CREAT);
    int depth = 0;
    while (depth < 2000 && mkdir("d", 0755) == 0 && chdir("d") == 0)
        depth++;
    printf("nested directories: %d deep, stopped by %s\n", depth, depth < 2000 ? en(errno) : "the loop bound");
    char cwd[64];
    printf("getcwd at depth %d: %s\n", depth, getcwd(cwd, sizeof cwd) ? cwd : en(errno));
    return 0;
}
