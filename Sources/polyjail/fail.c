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
