// Attack: fill /box with files past the memory limit. tmpfs pages are charged to the run's
// memory cgroup but belong to no process, so the OOM killer picks a victim by its own memory:
// the jail's pid 1 must never be it (that would end as IE, "not your fault"); the program is.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    static char chunk[16 << 10];
    memset(chunk, 'f', sizeof chunk);
    size_t bytes = 0;
    printf("filling /box\n");
    fflush(stdout);
    for (int i = 0;; i++) {
        char name[64];
        snprintf(name, sizeof name, "/box/fill%05d", i);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) goto fail;
        for (size_t in_file = 0; in_file < (1u << 20);) {
            ssize_t w = write(fd, chunk, sizeof chunk);
            if (w < 0) goto fail;
            in_file += (size_t)w;
            bytes += (size_t)w;
        }
        close(fd);
    }
fail:
    // Not reached when the OOM killer picks the program, as it should.
    printf("box: %s after %zu KiB\n", strerrorname_np(errno), bytes >> 10);
    return 0;
}
