// Attack: fill /tmp with 1 MiB files until it refuses; its tmpfs size (16 MiB) must stop it with ENOSPC.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    static char chunk[64 << 10];
    memset(chunk, 'f', sizeof chunk);
    size_t bytes = 0;
    for (int i = 0;; i++) {
        char name[64];
        snprintf(name, sizeof name, "/tmp/fill%04d", i);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            goto fail;
        for (size_t in_file = 0; in_file < (1u << 20);) {
            ssize_t w = write(fd, chunk, sizeof chunk);
            if (w < 0)
                goto fail;
            in_file += (size_t)w;
            bytes += (size_t)w;
        }
        close(fd);
    }
fail:
    printf("tmp: %s after %zu KiB\n", strerrorname_np(errno), bytes >> 10);
    if (bytes > (size_t)16 << 20)
        printf("LEAK: wrote %zu KiB into a 16 MiB /tmp\n", bytes >> 10);
    return 0;
}
