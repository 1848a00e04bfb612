/* cgroup.c: the front of the cgroup code (layers: cgroup.h). It detects the host's layout,
 * picks the backend, and gives each prepared jail a cgroup of its own: named by the supervisor,
 * made and joined by pid 1 while the jail is prepared (off the run's critical path), limited
 * again when a request differs, read after the run, and removed by the next jail of its name (or
 * at the helper's exit; at once in one-shot runs). */
#include "cgroup.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

static bool is_fs(const char *path, long magic) {
    struct statfs sf;
    return statfs(path, &sf) == 0 && sf.f_type == magic;
}

static bool dir_has(const char *dir, const char *file) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    return access(p, F_OK) == 0;
}

enum cg_backend cgroup_detect(char *detail, size_t n) {
    if (is_fs(CG_MOUNT, CGROUP2_SUPER_MAGIC)) {
        char ctl[256] = "";
        if (cg_read(CG_MOUNT, "cgroup.controllers", ctl, sizeof ctl) < 0) ctl[0] = 0;
        if (strstr(ctl, "memory") && strstr(ctl, "pids")) { snprintf(detail, n, "cgroup v2 at " CG_MOUNT); return CG_V2; }
        snprintf(detail, n, "cgroup v2 at " CG_MOUNT " lacks the memory and pids controllers (have: %s)", ctl);
        return CG_NONE;
    }
    bool mem = is_fs(CG_MOUNT "/memory", CGROUP_SUPER_MAGIC), pids = is_fs(CG_MOUNT "/pids", CGROUP_SUPER_MAGIC);
    if (!mem || !pids) {
        snprintf(detail, n, "no writable cgroup: need v2 with memory+pids, or v1 memory and pids hierarchies");
        return CG_NONE;
    }
    if (is_fs(CG_MOUNT "/unified", CGROUP2_SUPER_MAGIC) && dir_has(CG_MOUNT "/unified", "cgroup.procs")) {
        snprintf(detail, n, "hybrid: v1 memory+pids, v2 at " CG_MOUNT "/unified for cpu.stat and cgroup.kill");
        return CG_HYBRID;
    }
    snprintf(detail, n, "cgroup v1: memory, pids, cpuacct");
    return CG_V1;
}

static char *const *dirs_of(struct cgroup_state *cg, char *out[4]) {
    out[0] = cg->mem; out[1] = cg->pids; out[2] = cg->cpu; out[3] = cg->unified;
    return out;
}

/* The supervisor, for each jail: the backend and the jail's directory names. Nothing is made here:
 * pid 1 makes the directories while it prepares (cgroup_make), so that no cgroup_mutex holder (a
 * cgroup move waiting for an RCU grace period holds it for up to ~20 ms) can stall the supervisor. */
int cgroup_name(struct cgroup_state *cg, enum level level, const char *cgroup_root, const char *name, char *err, size_t n) {
    memset(cg, 0, sizeof *cg);
    cg->cpu_fd = cg->peak_fd = cg->oom_fd = -1;
    if (level == LEVEL_NO_CGROUP) { cg->backend = CG_NONE; return 0; }
    char detail[256];
    cg->backend = cgroup_detect(detail, sizeof detail);
    switch (cg->backend) {
    case CG_NONE:
        snprintf(err, n, "cgroups: %s (run at --min-isolation no-cgroup to grade without them)", detail);
        return -1;
    case CG_V1: cg->ops = &cg_v1_ops; break;
    case CG_V2: cg->ops = &cg_v2_ops; break;
    case CG_HYBRID: cg->ops = &cg_hybrid_ops; break;
    }
    return cg->ops->paths(cg, cgroup_root, name, err, n);
}

/* A directory of this name left by an earlier jail of the slot (a serving helper leaves them for the
 * next pid 1 of that name to remove) or by a crashed helper is emptied and removed: no jail inherits
 * another's members or charge. */
int cgroup_remove_leftover(const struct cgroup_state *cg, char *err, size_t n) {
    if (cg->backend == CG_NONE) return 0;
    const char *d[] = {cg->mem, cg->pids, cg->cpu, cg->unified};
    bool leftover = false;
    for (int i = 0; i < 4; i++) if (d[i][0] && access(d[i], F_OK) == 0) leftover = true;
    if (!leftover) return 0;
    if (cg->ops->populated(cg) && cg->ops->kill(cg) < 0) { snprintf(err, n, "emptying leftover cgroup %s: %s", cg->mem[0] ? cg->mem : cg->unified, strerror(errno)); return -1; }
    for (int i = 0; i < 4; i++)
        if (d[i][0] && cg_rmdir_wait(d[i]) < 0) { snprintf(err, n, "rmdir(leftover %s): %s", d[i], strerror(errno)); return -1; }
    return 0;
}

/* pid 1, while preparing: the directories, and the files read after the run (opened now: no path
 * walk on the request's path; pid 1 hands them to the supervisor with its readiness: prepared_wait_ready). */
int cgroup_make(struct cgroup_state *cg, char *err, size_t n) {
    if (cg->backend == CG_NONE) return 0;
    if (cgroup_remove_leftover(cg, err, n) < 0) return -1;
    char *d[4];
    dirs_of(cg, d);
    for (int i = 0; i < 4; i++) {
        if (!d[i][0]) continue;
        if (cg_mkdir(d[i]) < 0) {
            snprintf(err, n, "mkdir(%s): %s", d[i], strerror(errno));
            for (int k = 0; k < i; k++) if (d[k][0]) (void)cg_rmdir_wait(d[k]);
            return -1;
        }
    }
    const char *dir, *file = cg->ops->cpu_file(cg, &dir);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    cg->cpu_fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (cg->cpu_fd < 0) { snprintf(err, n, "open(%s): %s", path, strerror(errno)); return -1; }
    /* The files belong to this jail's own cgroup and are closed with it, so no run reads another's. */
    const char *peak, *oom;
    cg->ops->stat_files(cg, &dir, &peak, &oom);
    snprintf(path, sizeof path, "%s/%s", dir, peak);
    cg->peak_fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (cg->peak_fd >= 0) {
        snprintf(path, sizeof path, "%s/%s", dir, oom);
        cg->oom_fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (cg->peak_fd < 0 || cg->oom_fd < 0) { snprintf(err, n, "open(%s): %s", path, strerror(errno)); return -1; }
    return 0;
}

/* pid 1 moves itself ("0" is the writer) before it does anything, so its mounts and the box
 * copy are charged to the run. The move can wait an RCU grace period after an idle spell; it
 * happens while the jail is prepared, not while a request waits. */
int cgroup_join_self(const struct cgroup_state *cg, char *err, size_t n) {
    if (cg->backend == CG_NONE) return 0;
    const char *d[] = {cg->mem, cg->pids, cg->cpu, cg->unified};
    for (int i = 0; i < 4; i++) {
        if (!d[i][0]) continue;
        if (cg_write(d[i], "cgroup.procs", "0") < 0) { snprintf(err, n, "write(%s/cgroup.procs, self): %s", d[i], strerror(errno)); return -1; }
    }
    return 0;
}

/* Written while the jail is prepared (the last request's limits), and at the request only when
 * they differ: most requests repeat them, and each write is a kernfs round trip on its path. */
int cgroup_set_limits(struct cgroup_state *cg, const struct spec *s, char *err, size_t n) {
    if (cg->backend == CG_NONE) return 0;
    if (cg->limited && cg->limit_memory == s->memory && cg->limit_processes == s->processes) return 0;
    cg->limited = false;
    if (cg->ops->limits(cg, s) < 0) {
        snprintf(err, n, "cgroup limits on %s: %s", cg->mem[0] ? cg->mem : cg->unified, strerror(errno));
        return -1;
    }
    cg->limited = true; cg->limit_memory = s->memory; cg->limit_processes = s->processes;
    return 0;
}

int cgroup_cpu_us(const struct cgroup_state *cg, uint64_t *us) {
    if (cg->backend == CG_NONE || cg->cpu_fd < 0) return -1;
    return cg->ops->cpu_parse(cg->cpu_fd, us, NULL, NULL);
}

void cgroup_collect(const struct cgroup_state *cg, struct cgroup_stats *st) {
    memset(st, 0, sizeof *st);
    if (cg->backend == CG_NONE) return;
    if (cg->cpu_fd >= 0 && cg->ops->cpu_parse(cg->cpu_fd, &st->cpu_us, &st->user_us, &st->system_us) == 0) st->have_cpu = true;
    cg->ops->collect(cg, st);
}

int cgroup_kill(const struct cgroup_state *cg) {
    if (cg->backend == CG_NONE) return 0;
    return cg->ops->kill(cg);
}

/* A second belt before removal: nothing may outlive the run. Usually pid 1 already emptied it.
 * err may be NULL (clean-up after another failure). */
int cgroup_destroy(struct cgroup_state *cg, char *err, size_t n) {
    int rc = 0;
    int *fds[] = {&cg->cpu_fd, &cg->peak_fd, &cg->oom_fd};
    for (int i = 0; i < 3; i++) if (*fds[i] >= 0) { (void)close(*fds[i]); *fds[i] = -1; } /* read-only */
    if (cg->backend == CG_NONE || (!cg->mem[0] && !cg->pids[0] && !cg->unified[0])) return 0; /* none, or gone */
    const char *members = cg->backend == CG_V1 ? cg->pids : cg->unified; /* where populated and kill look */
    if (members[0] && cg->ops->populated(cg) && cg->ops->kill(cg) < 0) {
        if (err) snprintf(err, n, "killing what is left in %s: %s", cg->mem[0] ? cg->mem : cg->unified, strerror(errno));
        rc = -1;
    }
    char *d[4];
    dirs_of(cg, d);
    for (int i = 0; i < 4; i++) {
        if (!d[i][0]) continue;
        if (cg_rmdir_wait(d[i]) < 0) {
            if (err && rc == 0) snprintf(err, n, "rmdir(%s): %s", d[i], strerror(errno));
            rc = -1;
        }
        d[i][0] = 0;
    }
    return rc;
}
