/* cgroup_v1.c: memory/<root>/<jail> (limit, max usage, oom_kill count), pids/<root>/<jail>
 * (pids.max) and cpuacct/<root>/<jail> for CPU time. v1 has no cgroup.kill: members are
 * signalled until none is left. */
#include "cgroup.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* memory/polygrader, pids/polygrader, and a third hierarchy (cpuacct, or the hybrid's v2 mount). */
int v1_paths3(struct cgroup_state *cg, const char *third_ctl, char *third, const char *name, char *err, size_t n) {
    const char *ctls[] = {CG_MOUNT "/memory", CG_MOUNT "/pids", third_ctl};
    char *dirs[] = {cg->mem, cg->pids, third};
    for (int i = 0; i < 3; i++) {
        char parent[200];
        snprintf(parent, sizeof parent, "%s/polygrader", ctls[i]);
        if (cg_ensure_parent(parent) < 0) { snprintf(err, n, "mkdir(%s): %s", parent, strerror(errno)); return -1; }
        snprintf(dirs[i], sizeof cg->mem, "%s/%s", parent, name);
    }
    return 0;
}

static int v1_paths(struct cgroup_state *cg, const char *cgroup_root, const char *name, char *err, size_t n) {
    (void)cgroup_root;
    return v1_paths3(cg, CG_MOUNT "/cpuacct", cg->cpu, name, err, n);
}

int v1_limits(const struct cgroup_state *cg, const struct spec *s) {
    char v[32];
    snprintf(v, sizeof v, "%llu", (unsigned long long)s->memory);
    /* memsw (when swap accounting exists) keeps swap from extending the limit. The kernel wants
     * limit <= memsw at every moment: raising a limit writes memsw first, lowering writes it last. */
    if (s->memory && cg_write(cg->mem, "memory.limit_in_bytes", v) < 0) {
        if (errno != EINVAL) return -1;
        if (cg_write(cg->mem, "memory.memsw.limit_in_bytes", v) < 0) return -1;
        if (cg_write(cg->mem, "memory.limit_in_bytes", v) < 0) return -1;
    }
    if (s->memory && cg_write(cg->mem, "memory.memsw.limit_in_bytes", v) < 0 && errno != ENOENT) return -1;
    snprintf(v, sizeof v, "%llu", (unsigned long long)s->processes + 1); /* + pid 1 of the namespace */
    return cg_write(cg->pids, "pids.max", v);
}

static const char *v1_cpu_file(const struct cgroup_state *cg, const char **dir) { *dir = cg->cpu; return "cpuacct.usage"; }

/* cpuacct.usage: nanoseconds of every task, precise; user and system are read at the end. */
int v1_cpu_parse(int fd, uint64_t *us, uint64_t *user, uint64_t *sys) {
    char buf[64];
    ssize_t r = pread(fd, buf, sizeof buf - 1, 0);
    if (r <= 0) return -1;
    buf[r] = 0;
    *us = strtoull(buf, NULL, 10) / 1000;
    if (user) *user = 0;
    if (sys) *sys = 0;
    return 0;
}

void v1_stat_files(const struct cgroup_state *cg, const char **dir, const char **peak, const char **oom) {
    *dir = cg->mem; *peak = "memory.max_usage_in_bytes"; *oom = "memory.oom_control";
}

void v1_collect(const struct cgroup_state *cg, struct cgroup_stats *st) {
    char buf[2048];
    uint64_t v;
    if (cg->peak_fd >= 0 && cg_pread_u64(cg->peak_fd, &v) == 0) { st->have_peak = true; st->peak = v; }
    if (cg->oom_fd >= 0 && cg_pread(cg->oom_fd, buf, sizeof buf) == 0 && cg_field_u64(buf, "oom_kill", &v) == 0 && v > 0)
        st->oom_killed = true;
    uint64_t u, sy;
    if (cg->cpu[0] && cg_read_u64(cg->cpu, "cpuacct.usage_user", &u) == 0 && cg_read_u64(cg->cpu, "cpuacct.usage_sys", &sy) == 0) {
        st->user_us = u / 1000; st->system_us = sy / 1000;
    }
}

/* Signals every member until none is left (pids.max bounds a fork race). */
int v1_kill_members(const char *dir) {
    for (int round = 0; round < 200; round++) {
        char buf[8192];
        if (cg_read(dir, "cgroup.procs", buf, sizeof buf) < 0) return -1;
        if (!buf[0]) return 0;
        for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            pid_t p = (pid_t)atoi(line);
            if (p > 1 && kill(p, SIGKILL) < 0 && errno != ESRCH) return -1;
        }
        if (usleep(5000) < 0 && errno != EINTR) return -1;
    }
    errno = EBUSY;
    return -1;
}

static int v1_kill(const struct cgroup_state *cg) { return v1_kill_members(cg->pids); }

static bool v1_populated(const struct cgroup_state *cg) {
    char buf[64];
    if (cg_read(cg->pids, "cgroup.procs", buf, sizeof buf) < 0) return true;
    return buf[0] != 0;
}

const struct cg_ops cg_v1_ops = {
    .paths = v1_paths, .limits = v1_limits, .cpu_file = v1_cpu_file, .cpu_parse = v1_cpu_parse,
    .stat_files = v1_stat_files, .collect = v1_collect, .kill = v1_kill, .populated = v1_populated,
};
