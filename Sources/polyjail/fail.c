/* fail.c: the two kinds of failure. jail_fail() is our fault: the run becomes IE and the
 * message names the call and strerror of the saved errno. die_child() is used between fork
 * and exec, where only a report down a pipe and _exit are possible. */
#include "jail.h"
#include <time.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

void jail_fail(struct jail *j, const char *fmt, ...) {
    int saved = errno; /* save first: formatting may clobber it */
    if (j->error[0]) return; /* the first failure is the cause; later ones are consequences */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->error, sizeof j->error, fmt, ap);
    va_end(ap);
    errno = saved;
}

int write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        p += w; n -= (size_t)w;
    }
    return 0;
}

void die_child(int fd, const char *fmt, ...) {
    char buf[JAIL_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    buf[0] = 'M'; /* a setup message; 'X' + errno is an exec failure */
    vsnprintf(buf + 1, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (fd >= 0) (void)write_all(fd, buf, strlen(buf));
    _exit(127);
}

/* Closes a descriptor we own and marks it closed. For read ends, our own copies and clean-up after
 * a failure: nothing written can be lost there, and the first error is the one reported. */
void close_if(int *fd) {
    if (*fd >= 0) (void)close(*fd);
    *fd = -1;
}

uint64_t mono_us(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0) return 0; /* cannot fail with CLOCK_MONOTONIC */
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Keeps only the descriptors in keep[] (sorted ascending) above stderr: a child cloned from the
 * supervisor (pid 1, a template's builder) holds the serve streams, the slot lock and other jails' pipes. */
int close_all_but(const int *keep, int n) {
    unsigned from = 3;
    for (int i = 0; i <= n; i++) {
        unsigned to = i < n ? (unsigned)keep[i] : ~0U;
        if (to > from && syscall(SYS_close_range, from, to - 1, 0) < 0) return -1;
        if (i < n) from = (unsigned)keep[i] + 1;
    }
    return 0;
}

int env_ms(const char *name, int fallback) {
    const char *v = getenv(name);
    char *end;
    long ms = v ? strtol(v, &end, 10) : -1;
    return v && *v && !*end && ms >= 0 && ms <= 3600000 ? (int)ms : fallback;
}

/* The supervisor and pid 1 pass descriptors over the jail's socket (the request's box and collect
 * directories; the cgroup's files with pid 1's readiness): one message, the descriptors riding on
 * its first bytes, the rest written after them. */
int send_fds(int sock, const void *buf, size_t len, const int *fds, int nfd) {
    char cbuf[CMSG_SPACE(JAIL_PASS_FDS_MAX * sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    if (nfd < 0 || nfd > JAIL_PASS_FDS_MAX || len == 0) { errno = EINVAL; return -1; }
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfd > 0) {
        m.msg_control = cbuf; m.msg_controllen = CMSG_SPACE((size_t)nfd * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN((size_t)nfd * sizeof(int));
        memcpy(CMSG_DATA(c), fds, (size_t)nfd * sizeof(int));
    }
    ssize_t w;
    do w = sendmsg(sock, &m, MSG_NOSIGNAL); while (w < 0 && errno == EINTR);
    if (w < 0) return -1;
    return write_all(sock, (const char *)buf + w, len - (size_t)w);
}

/* Receives up to len bytes (flags as recvmsg's) and the descriptors riding on them (close-on-exec), at
 * most max. Returns the bytes read (0 at EOF) with *nfds set, or -1; a control message that is not
 * one set of descriptors, or was cut short, is EPROTO (what arrived of it is closed). */
ssize_t recv_fds(int sock, void *buf, size_t len, int flags, int *fds, int max, int *nfds) {
    char cbuf[CMSG_SPACE(JAIL_PASS_FDS_MAX * sizeof(int))];
    *nfds = 0;
    if (max < 0 || max > JAIL_PASS_FDS_MAX) { errno = EINVAL; return -1; }
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = CMSG_SPACE((size_t)max * sizeof(int))};
    ssize_t got;
    do got = recvmsg(sock, &m, flags | MSG_CMSG_CLOEXEC); while (got < 0 && errno == EINTR);
    if (got < 0) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    bool rights = c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS;
    int n = rights ? (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0;
    if (n > max) n = max;
    if (rights) memcpy(fds, CMSG_DATA(c), (size_t)n * sizeof(int));
    if ((c && !rights) || (m.msg_flags & MSG_CTRUNC) || (c && CMSG_NXTHDR(&m, c))) {
        for (int i = 0; i < n; i++) (void)close(fds[i]); /* never ours to keep */
        errno = EPROTO;
        return -1;
    }
    *nfds = n;
    return got;
}
