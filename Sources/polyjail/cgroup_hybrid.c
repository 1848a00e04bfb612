/* cgroup_hybrid.c: v1 memory and pids hierarchies for the limits, plus the (otherwise empty) v2
 * mount at /sys/fs/cgroup/unified, which still gives cpu.stat (precise CPU of every thread) and
 * cgroup.kill (an atomic end). This is the layout of our development machines. */
#include "cgroup.h"

int v1_paths3(struct cgroup_state *cg, const char *third_ctl, char *third, const char *name, char *err, size_t n);

static int hybrid_paths(struct cgroup_state *cg, const char *cgroup_root, const char *name, char *err, size_t n) {
    (void)cgroup_root;
    return v1_paths3(cg, CG_MOUNT "/unified", cg->unified, name, err, n);
}

static const char *hybrid_cpu_file(const struct cgroup_state *cg, const char **dir) { *dir = cg->unified; return "cpu.stat"; }
static int hybrid_kill(const struct cgroup_state *cg) { return v2_kill(cg->unified); }
static bool hybrid_populated(const struct cgroup_state *cg) { return v2_populated(cg->unified); }

const struct cg_ops cg_hybrid_ops = {
    .paths = hybrid_paths, .limits = v1_limits, .cpu_file = hybrid_cpu_file, .cpu_parse = v2_cpu_parse,
    .stat_files = v1_stat_files, .collect = v1_collect, .kill = hybrid_kill, .populated = hybrid_populated,
};
