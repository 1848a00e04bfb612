/* cgroup_v1.c: memory/<root>/slot-N (limit, max usage, oom_kill count), pids/<root>/slot-N
 * (pids.max) and, on pure v1 hosts, cpuacct/<root>/slot-N for CPU time. */
#include "cgroup.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int v1_prepare(struct cgroup_state *cg, const struct spec *s) {
    char v[32];
    if (cg_mkdir_fresh(cg->mem) < 0 || cg_mkdir_fresh(cg->pids) < 0) return -1;
    if (cg->cpu[0] && cg_mkdir_fresh(cg->cpu) < 0) return -1;
    snprintf(v, sizeof v, "%llu", (unsigned long long)s->memory);
    if (s->memory && cg_write(cg->mem, "memory.limit_in_bytes", v) < 0) return -1;
    /* memsw (when swap accounting exists) keeps swap from extending the limit. */
    if (s->memory && cg_write(cg->mem, "memory.memsw.limit_in_bytes", v) < 0 && errno != ENOENT) return -1;
    snprintf(v, sizeof v, "%llu", (unsigned long long)s->processes + 1);
    return cg_write(cg->pids, "pids.max", v);
}

void v1_collect(struct cgroup_state *cg, struct cgroup_stats *st) {
    char buf[2048];
    uint64_t v;
    if (cg_read_u64(cg->mem, "memory.max_usage_in_bytes", &v) == 0) { st->have_peak = true; st->peak = v; }
    if (cg_read(cg->mem, "memory.oom_control", buf, sizeof buf) == 0 && cg_field_u64(buf, "oom_kill", &v) == 0 && v > 0)
        st->oom_killed = true;
    else if (cg_read_u64(cg->mem, "memory.failcnt", &v) == 0 && v > 0 && st->have_peak && st->peak > 0) {
        /* Older kernels lack oom_kill: a hit limit is reported, the verdict logic decides. */
    }
}

/* v1 has no cgroup.kill: signal every member until none is left (pids.max bounds a fork race). */
int v1_kill(const char *pids_dir) {
    for (int round = 0; round < 200; round++) {
        char buf[8192];
        if (cg_read(pids_dir, "cgroup.procs", buf, sizeof buf) < 0) return -1;
        if (!buf[0]) return 0;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            pid_t p = (pid_t)atoi(line);
            if (p > 1) kill(p, SIGKILL);
        }
        usleep(5000);
    }
    errno = EBUSY;
    return -1;
}
