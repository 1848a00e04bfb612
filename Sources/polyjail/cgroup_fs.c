/* cgroup_fs.c: the bottom layer of the cgroup code: reading and writing control files and
 * making and removing directories. It knows no cgroup version. Every write is checked, and a
 * short write is a failure (isolate's cg_write): a limit that did not apply must never look
 * as if it did. */
#include "cgroup.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cg_write(const char *dir, const char *file, const char *value) {
    char path[512];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path) { errno = ENAMETOOLONG; return -1; }
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    size_t len = strlen(value);
    /* A signal may interrupt a write that reclaims memory (v1's memory.limit_in_bytes above the
     * usage): the helper's SIGCHLD from the last jail's pid 1 did, nearly every time a jail was
     * prepared right after a run, and the next request then made its jail on its own path.
     * The interrupted write changed nothing, so it is repeated. */
    ssize_t w;
    int tries = 0; /* bounded: a signal left pending (blocked) would interrupt every attempt */
    do w = write(fd, value, len); while (w < 0 && errno == EINTR && ++tries < 100);
    int saved = errno;
    if (close(fd) < 0 && w == (ssize_t)len) return -1; /* a deferred write error */
    if (w != (ssize_t)len) { errno = w < 0 ? saved : EIO; return -1; }
    return 0;
}

int cg_read(const char *dir, const char *file, char *buf, size_t n) {
    char path[512];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path) { errno = ENAMETOOLONG; return -1; }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, n - 1);
    int saved = errno;
    (void)close(fd); /* read-only: nothing can be lost at close */
    if (r < 0) { errno = saved; return -1; }
    buf[r] = 0;
    return 0;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *v) {
    char buf[64];
    if (cg_read(dir, file, buf, sizeof buf) < 0) return -1;
    char *end;
    errno = 0;
    *v = strtoull(buf, &end, 10);
    if (end == buf || errno) { errno = EINVAL; return -1; }
    return 0;
}

/* Reads a control file kept open (from offset 0: each read is a fresh snapshot). */
int cg_pread(int fd, char *buf, size_t n) {
    ssize_t r = pread(fd, buf, n - 1, 0);
    if (r < 0) return -1;
    buf[r] = 0;
    return 0;
}

int cg_pread_u64(int fd, uint64_t *v) {
    char buf[64];
    if (cg_pread(fd, buf, sizeof buf) < 0) return -1;
    char *end;
    errno = 0;
    *v = strtoull(buf, &end, 10);
    if (end == buf || errno) { errno = EINVAL; return -1; }
    return 0;
}

int cg_field_u64(const char *text, const char *key, uint64_t *v) {
    size_t kl = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (!strncmp(p, key, kl) && p[kl] == ' ') { *v = strtoull(p + kl + 1, NULL, 10); return 0; }
    }
    return -1;
}

int cg_mkdir(const char *dir) {
    if (mkdir(dir, 0700) == 0) return 0;
    return -1; /* EEXIST included: the caller decides what a leftover means */
}

int cg_rmdir_wait(const char *dir) {
    for (int i = 0; i < 2000; i++) { /* up to ~2 s: the kernel frees the last task asynchronously */
        if (rmdir(dir) == 0 || errno == ENOENT) return 0;
        if (errno != EBUSY) return -1;
        if (usleep(1000) < 0 && errno != EINTR) return -1;
    }
    errno = EBUSY;
    return -1;
}

int cg_ensure_parent(const char *dir) {
    if (mkdir(dir, 0755) == 0 || errno == EEXIST) {
        struct stat st;
        /* Ours alone: a parent someone else made could hold limits or members we do not expect. */
        if (lstat(dir, &st) < 0) return -1;
        if (!S_ISDIR(st.st_mode) || st.st_uid != 0) { errno = EPERM; return -1; }
        return 0;
    }
    return -1;
}
