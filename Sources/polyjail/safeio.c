/* safeio.c: moving files into and out of a box without ever following a path the program
 * controls. Threat: a program replaces an output with a symlink to a host file and waits for
 * root to read, write or chown it (Judge0 CVE-2024-28185/28189); or leaves a FIFO to hang us.
 * Copy-in writes into a fresh tmpfs (O_EXCL|O_NOFOLLOW); collection opens every component
 * with openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|...) and takes regular files only. */
#include "jail.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define COPY_DEPTH_MAX 32

static int copy_fd(int in, int out, uint64_t limit, uint64_t *copied) {
    char buf[65536];
    *copied = 0;
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0) { if (errno == EINTR) continue; return -1; }
        if (r == 0) return 0;
        if (*copied + (uint64_t)r > limit) { errno = EFBIG; return -1; }
        if (write_all(out, buf, (size_t)r) < 0) return -1;
        *copied += (uint64_t)r;
    }
}

static int copy_in_dir(int src, int dst, uid_t uid, gid_t gid, int depth, char *err, size_t n) {
    if (depth > COPY_DEPTH_MAX) { snprintf(err, n, "copy-in: directories nested too deep"); return -1; }
    int dup_fd = dup(src);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) { snprintf(err, n, "copy-in: fdopendir: %s", strerror(errno)); if (dup_fd >= 0) close(dup_fd); return -1; }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        struct stat st;
        if (fstatat(src, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) { snprintf(err, n, "copy-in: fstatat(%s): %s", e->d_name, strerror(errno)); rc = -1; break; }
        if (S_ISDIR(st.st_mode)) {
            if (mkdirat(dst, e->d_name, 0755) < 0) { snprintf(err, n, "copy-in: mkdirat(%s): %s", e->d_name, strerror(errno)); rc = -1; break; }
            int s2 = openat(src, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int d2 = openat(dst, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (s2 < 0 || d2 < 0 || fchown(d2, uid, gid) < 0) { snprintf(err, n, "copy-in: open dir %s: %s", e->d_name, strerror(errno)); rc = -1; }
            else rc = copy_in_dir(s2, d2, uid, gid, depth + 1, err, n);
            if (s2 >= 0) close(s2);
            if (d2 >= 0) close(d2);
        } else if (S_ISREG(st.st_mode)) {
            /* Only the staging directory (ours) is read; the box is a fresh tmpfs. */
            int in = openat(src, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            mode_t mode = (st.st_mode & 0111) ? 0755 : 0644; /* setuid/setgid/sticky never enter */
            int out = openat(dst, e->d_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
            uint64_t copied;
            if (in < 0 || out < 0) { snprintf(err, n, "copy-in: open %s: %s", e->d_name, strerror(errno)); rc = -1; }
            else if (copy_fd(in, out, UINT64_MAX, &copied) < 0) {
                snprintf(err, n, "copy-in: %s: %s%s", e->d_name, strerror(errno), errno == ENOSPC ? " (the box is too small)" : "");
                rc = errno == ENOSPC ? -2 : -1;
            } else if (fchown(out, uid, gid) < 0 || fchmod(out, mode) < 0) { snprintf(err, n, "copy-in: fchown %s: %s", e->d_name, strerror(errno)); rc = -1; }
            if (in >= 0) close(in);
            if (out >= 0) close(out);
        } /* anything else in staging (we never create it) is ignored */
    }
    closedir(d);
    return rc;
}

int safe_copy_in(int src_dir, int dst_dir, uid_t uid, gid_t gid, char *err, size_t n) {
    return copy_in_dir(src_dir, dst_dir, uid, gid, 0, err, n);
}

/* Opens `name` below `dir` without following any link, crossing any mount, or blocking on a FIFO. */
static int open_beneath(int dir, const char *name) {
    struct open_how how = {
        .flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
    };
    int fd;
    do fd = (int)syscall(SYS_openat2, dir, name, &how, sizeof how); while (fd < 0 && errno == EINTR);
    return fd;
}

static int collect_fd(int fd, const char *name, int out_dir, uint64_t *budget, int depth, char *err, size_t n);

static int collect_dir(int fd, int out_dir, uint64_t *budget, int depth, char *err, size_t n) {
    if (depth > COPY_DEPTH_MAX) { snprintf(err, n, "collect: directories nested too deep"); return -1; }
    int dup_fd = dup(fd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) { if (dup_fd >= 0) close(dup_fd); snprintf(err, n, "collect: fdopendir: %s", strerror(errno)); return -1; }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int child = open_beneath(fd, e->d_name);
        if (child < 0) continue; /* a symlink, a mount point: not ours to take */
        rc = collect_fd(child, e->d_name, out_dir, budget, depth + 1, err, n);
        close(child);
    }
    closedir(d);
    return rc;
}

static int collect_fd(int fd, const char *name, int out_dir, uint64_t *budget, int depth, char *err, size_t n) {
    struct stat st;
    if (fstat(fd, &st) < 0) { snprintf(err, n, "collect: fstat %s: %s", name, strerror(errno)); return -1; }
    if (S_ISDIR(st.st_mode)) {
        if (mkdirat(out_dir, name, 0755) < 0 && errno != EEXIST) { snprintf(err, n, "collect: mkdirat %s: %s", name, strerror(errno)); return -1; }
        int sub = openat(out_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) { snprintf(err, n, "collect: open %s: %s", name, strerror(errno)); return -1; }
        int rc = collect_dir(fd, sub, budget, depth, err, n);
        close(sub);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) return 0; /* FIFOs, sockets, devices: never read */
    if ((uint64_t)st.st_size > *budget) { snprintf(err, n, "collect: %s is larger than what is left of the cap", name); return -2; }
    int out = openat(out_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (st.st_mode & 0111) ? 0755 : 0644);
    if (out < 0) { snprintf(err, n, "collect: create %s: %s", name, strerror(errno)); return -1; }
    uint64_t copied;
    int rc = copy_fd(fd, out, *budget, &copied);
    if (close(out) < 0 && rc == 0) rc = -1; /* a failed close of a written file loses data */
    if (rc < 0) { snprintf(err, n, "collect: copy %s: %s", name, strerror(errno)); return errno == EFBIG ? -2 : -1; }
    *budget -= copied;
    return 0;
}

/* Copies box path `rel` (a file or a directory tree) to the same relative path under out_dir. */
int safe_collect(int box_dir, const char *rel, int out_dir, uint64_t *budget, char *err, size_t n) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s", rel) >= (int)sizeof path) { snprintf(err, n, "collect: path too long"); return -1; }
    /* Recreate parent directories on our side, component by component. */
    int parent = dup(out_dir);
    char *slash, *name = path;
    while ((slash = strchr(name, '/'))) {
        *slash = 0;
        if (*name && strcmp(name, ".")) {
            if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST) { close(parent); snprintf(err, n, "collect: mkdirat: %s", strerror(errno)); return -1; }
            int next = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            close(parent);
            if (next < 0) { snprintf(err, n, "collect: openat: %s", strerror(errno)); return -1; }
            parent = next;
        }
        *slash = '/';
        name = slash + 1;
    }
    int fd = open_beneath(box_dir, rel);
    if (fd < 0) { close(parent); return 1; /* missing, or a link: not collected */ }
    int rc = collect_fd(fd, name, parent, budget, 0, err, n);
    close(fd);
    close(parent);
    return rc;
}
