/* cgroup_v2.c: a run's child of a delegated v2 subtree: memory.max with swap off and
 * oom.group (the whole run dies on OOM, no half-killed process tree), pids.max, cpu.stat for
 * precise CPU of all threads and orphans, cgroup.kill for an atomic end. On hybrid hosts the
 * empty v2 mount still gives cpu.stat and cgroup.kill (limits=false). */
#include "cgroup.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int v2_prepare(const char *dir, const struct spec *s, bool limits) {
    if (cg_mkdir_fresh(dir) < 0) return -1;
    if (!limits) return 0;
    char v[32];
    snprintf(v, sizeof v, "%llu", (unsigned long long)s->memory);
    if (s->memory && cg_write(dir, "memory.max", v) < 0) return -1;
    /* Swap would let a run exceed its memory limit and slow the host. */
    if (cg_write(dir, "memory.swap.max", "0") < 0 && errno != ENOENT) return -1;
    if (cg_write(dir, "memory.oom.group", "1") < 0) return -1;
    snprintf(v, sizeof v, "%llu", (unsigned long long)s->processes + 1); /* + pid 1 of the namespace */
    return cg_write(dir, "pids.max", v);
}

int v2_cpu(int fd, uint64_t *us, uint64_t *user, uint64_t *sys) {
    char buf[1024];
    ssize_t r = pread(fd, buf, sizeof buf - 1, 0);
    if (r <= 0) return -1;
    buf[r] = 0;
    if (cg_field_u64(buf, "usage_usec", us) < 0) return -1;
    if (user) cg_field_u64(buf, "user_usec", user);
    if (sys) cg_field_u64(buf, "system_usec", sys);
    return 0;
}

void v2_collect(const char *dir, struct cgroup_stats *st) {
    char buf[1024];
    uint64_t v;
    if (cg_read_u64(dir, "memory.peak", &v) == 0) { st->have_peak = true; st->peak = v; }
    if (cg_read(dir, "memory.events", buf, sizeof buf) == 0 && cg_field_u64(buf, "oom_kill", &v) == 0 && v > 0)
        st->oom_killed = true;
}

int v2_kill(const char *dir) {
    if (cg_write(dir, "cgroup.kill", "1") < 0) return -1;
    /* Wait until the kernel says the cgroup is empty (up to ~2 s), so rmdir can succeed. */
    for (int i = 0; i < 2000; i++) {
        char buf[256];
        uint64_t populated = 1;
        if (cg_read(dir, "cgroup.events", buf, sizeof buf) < 0 || cg_field_u64(buf, "populated", &populated) < 0) return -1;
        if (!populated) return 0;
        usleep(1000);
    }
    errno = EBUSY;
    return -1;
}
