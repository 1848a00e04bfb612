// Attack: create empty files without end in /box and /tmp; the tmpfs inode limits (4096, 1024) must stop it with ENOSPC.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void flood(const char *dir, long max_inodes) {
    long n;
    for (n = 0;; n++) {
        char name[64];
        snprintf(name, sizeof name, "%s/e%06ld", dir, n);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0)
            break;
        close(fd);
    }
    printf("%s: %s after %ld files\n", dir, strerrorname_np(errno), n);
    if (n > max_inodes)
        printf("LEAK: %ld files in %s, over its %ld inodes\n", n, dir, max_inodes);
}
int main(void) {
    flood("/box", 4096);
    flood("/tmp", 1024);
    return 0;
}
