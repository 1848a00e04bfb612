/* cgroup_v2.c: a jail's child of a delegated v2 subtree: memory.max with swap off and
 * oom.group (the whole run dies on OOM, no half-killed process tree; pid 1 is exempt through
 * its oom_score_adj), pids.max, cpu.stat for precise CPU of all threads and orphans,
 * cgroup.kill for an atomic end. */
#include "cgroup.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Enables memory and pids for dir's children, writing only when one is missing: the supervisor names
 * a cgroup for every jail, and a write of subtree_control takes cgroup_mutex (cgroup.c, cgroup_name). */
static int enable_controllers(const char *dir) {
    char have[256];
    if (cg_read(dir, "cgroup.subtree_control", have, sizeof have) == 0 && strstr(have, "memory") && strstr(have, "pids")) return 0;
    return cg_write(dir, "cgroup.subtree_control", "+memory +pids");
}

static int v2_paths(struct cgroup_state *cg, const char *cgroup_root, const char *name, char *err, size_t n) {
    const char *root = cgroup_root ? cgroup_root : CG_MOUNT "/polygrader";
    if (cg_ensure_parent(root) < 0) { snprintf(err, n, "mkdir(%s): %s", root, strerror(errno)); return -1; }
    /* Delegation: the root's children need memory and pids enabled. Our default root sits under
     * the mount's root, whose subtree_control we may have to extend; a configured (delegated)
     * root is the operator's, and already enables them at its parent. */
    if (!cgroup_root && enable_controllers(CG_MOUNT) < 0) {
        snprintf(err, n, "write(%s/cgroup.subtree_control, +memory +pids): %s", CG_MOUNT, strerror(errno));
        return -1;
    }
    if (enable_controllers(root) < 0) {
        snprintf(err, n, "write(%s/cgroup.subtree_control, +memory +pids): %s (delegate a v2 subtree: systemd Delegate=yes)",
                 root, strerror(errno));
        return -1;
    }
    snprintf(cg->unified, sizeof cg->unified, "%s/%s", root, name);
    return 0;
}

static int v2_limits(const struct cgroup_state *cg, const struct spec *s) {
    char v[32];
    snprintf(v, sizeof v, "%llu", (unsigned long long)s->memory);
    if (s->memory && cg_write(cg->unified, "memory.max", v) < 0) return -1;
    /* Swap would let a run exceed its memory limit and slow the host. */
    if (cg_write(cg->unified, "memory.swap.max", "0") < 0 && errno != ENOENT) return -1;
    if (cg_write(cg->unified, "memory.oom.group", "1") < 0) return -1;
    snprintf(v, sizeof v, "%llu", (unsigned long long)s->processes + 1); /* + pid 1 of the namespace */
    return cg_write(cg->unified, "pids.max", v);
}

static const char *v2_cpu_file(const struct cgroup_state *cg, const char **dir) { *dir = cg->unified; return "cpu.stat"; }

int v2_cpu_parse(int fd, uint64_t *us, uint64_t *user, uint64_t *sys) {
    char buf[1024];
    ssize_t r = pread(fd, buf, sizeof buf - 1, 0);
    if (r <= 0) return -1;
    buf[r] = 0;
    if (cg_field_u64(buf, "usage_usec", us) < 0) return -1;
    if (user && cg_field_u64(buf, "user_usec", user) < 0) return -1;
    if (sys && cg_field_u64(buf, "system_usec", sys) < 0) return -1;
    return 0;
}

static void v2_stat_files(const struct cgroup_state *cg, const char **dir, const char **peak, const char **oom) {
    *dir = cg->unified; *peak = "memory.peak"; *oom = "memory.events";
}

static void v2_collect(const struct cgroup_state *cg, struct cgroup_stats *st) {
    char buf[1024];
    uint64_t v;
    if (cg->peak_fd >= 0 && cg_pread_u64(cg->peak_fd, &v) == 0) { st->have_peak = true; st->peak = v; }
    if (cg->oom_fd >= 0 && cg_pread(cg->oom_fd, buf, sizeof buf) == 0 && cg_field_u64(buf, "oom_kill", &v) == 0 && v > 0)
        st->oom_killed = true;
}

bool v2_populated(const char *dir) {
    char buf[256];
    uint64_t populated = 1;
    if (cg_read(dir, "cgroup.events", buf, sizeof buf) < 0 || cg_field_u64(buf, "populated", &populated) < 0) return true;
    return populated != 0;
}

int v2_kill(const char *dir) {
    if (cg_write(dir, "cgroup.kill", "1") < 0) return -1;
    /* Wait until the kernel says the cgroup is empty (up to ~2 s), so rmdir can succeed. */
    for (int i = 0; i < 2000; i++) {
        if (!v2_populated(dir)) return 0;
        if (usleep(1000) < 0 && errno != EINTR) return -1;
    }
    errno = EBUSY;
    return -1;
}

static int v2_kill_ops(const struct cgroup_state *cg) { return v2_kill(cg->unified); }
static bool v2_populated_ops(const struct cgroup_state *cg) { return v2_populated(cg->unified); }

const struct cg_ops cg_v2_ops = {
    .paths = v2_paths, .limits = v2_limits, .cpu_file = v2_cpu_file, .cpu_parse = v2_cpu_parse,
    .stat_files = v2_stat_files, .collect = v2_collect, .kill = v2_kill_ops, .populated = v2_populated_ops,
};
