/* cgroup.c: one interface over the v2, v1 and hybrid layouts, detected at run time.
 * Every write is checked, a short write is a failure (isolate's cg_write): a limit that did
 * not apply must never look as if it did. */
#include "cgroup.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CG "/sys/fs/cgroup"

int cg_write(const char *dir, const char *file, const char *value) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    size_t len = strlen(value);
    ssize_t w = write(fd, value, len);
    int saved = errno;
    close(fd);
    if (w != (ssize_t)len) { errno = w < 0 ? saved : EIO; return -1; }
    return 0;
}

int cg_read(const char *dir, const char *file, char *buf, size_t n) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, n - 1);
    close(fd);
    if (r < 0) return -1;
    buf[r] = 0;
    return 0;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *v) {
    char buf[64];
    if (cg_read(dir, file, buf, sizeof buf) < 0) return -1;
    char *end;
    *v = strtoull(buf, &end, 10);
    return end == buf ? -1 : 0;
}

/* Finds "key value" in a flat-keyed file (cpu.stat, memory.events, memory.oom_control). */
int cg_field_u64(const char *text, const char *key, uint64_t *v) {
    size_t kl = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (!strncmp(p, key, kl) && p[kl] == ' ') { *v = strtoull(p + kl + 1, NULL, 10); return 0; }
    }
    return -1;
}

/* A leftover from a crashed run is emptied and removed first: no run inherits another's charge. */
int cg_mkdir_fresh(const char *dir) {
    if (mkdir(dir, 0700) == 0) return 0;
    if (errno != EEXIST) return -1;
    char buf[256];
    if (cg_read(dir, "cgroup.kill", buf, sizeof buf) == 0) (void)v2_kill(dir);
    else (void)v1_kill(dir);
    if (cg_rmdir_wait(dir) < 0) return -1;
    return mkdir(dir, 0700);
}

int cg_rmdir_wait(const char *dir) {
    for (int i = 0; i < 2000; i++) { /* up to ~2 s */
        if (rmdir(dir) == 0 || errno == ENOENT) return 0;
        if (errno != EBUSY) return -1;
        usleep(1000);
    }
    return -1;
}

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
    if (is_fs(CG, CGROUP2_SUPER_MAGIC)) {
        char ctl[256] = "";
        cg_read(CG, "cgroup.controllers", ctl, sizeof ctl);
        if (strstr(ctl, "memory") && strstr(ctl, "pids")) { snprintf(detail, n, "cgroup v2 at " CG); return CG_V2; }
        snprintf(detail, n, "cgroup v2 at " CG " lacks the memory and pids controllers (have: %s)", ctl);
        return CG_NONE;
    }
    bool mem = is_fs(CG "/memory", CGROUP_SUPER_MAGIC), pids = is_fs(CG "/pids", CGROUP_SUPER_MAGIC);
    if (!mem || !pids) {
        snprintf(detail, n, "no writable cgroup: need v2 with memory+pids, or v1 memory and pids hierarchies");
        return CG_NONE;
    }
    if (is_fs(CG "/unified", CGROUP2_SUPER_MAGIC) && dir_has(CG "/unified", "cgroup.procs")) {
        snprintf(detail, n, "hybrid: v1 memory+pids, v2 at " CG "/unified for cpu.stat and cgroup.kill");
        return CG_HYBRID;
    }
    snprintf(detail, n, "cgroup v1: memory, pids, cpuacct");
    return CG_V1;
}

int cgroup_prepare(struct jail *j) {
    struct cgroup_state *cg = &j->cg;
    char detail[256];
    cg->cpu_fd = -1;
    if (j->spec.level == LEVEL_NO_CGROUP) { cg->backend = CG_NONE; return 0; }
    cg->backend = cgroup_detect(detail, sizeof detail);
    const char *base = "polygrader";
    switch (cg->backend) {
    case CG_NONE:
        jail_fail(j, "cgroups: %s (run at --min-isolation no-cgroup to grade without them)", detail);
        return -1;
    case CG_V2: {
        const char *root = j->spec.cgroup_root ? j->spec.cgroup_root : CG "/polygrader";
        if (mkdir(root, 0755) < 0 && errno != EEXIST) { jail_fail(j, "mkdir(%s): %s", root, strerror(errno)); return -1; }
        /* Delegation: the root's children need memory and pids enabled. */
        if (!j->spec.cgroup_root) cg_write(CG, "cgroup.subtree_control", "+memory +pids");
        if (cg_write(root, "cgroup.subtree_control", "+memory +pids") < 0) {
            jail_fail(j, "write(%s/cgroup.subtree_control, +memory +pids): %s (delegate a v2 subtree: systemd Delegate=yes)", root, strerror(errno));
            return -1;
        }
        snprintf(cg->unified, sizeof cg->unified, "%s/slot-%d", root, j->slot);
        if (v2_prepare(cg->unified, &j->spec, true) < 0) { jail_fail(j, "cgroup v2 %s: %s", cg->unified, strerror(errno)); return -1; }
        break;
    }
    case CG_HYBRID:
    case CG_V1: {
        const char *ctls[] = {CG "/memory", CG "/pids", cg->backend == CG_V1 ? CG "/cpuacct" : CG "/unified"};
        char *dirs[] = {cg->mem, cg->pids, cg->backend == CG_V1 ? cg->cpu : cg->unified};
        for (int i = 0; i < 3; i++) {
            char parent[200];
            snprintf(parent, sizeof parent, "%s/%s", ctls[i], base);
            if (mkdir(parent, 0755) < 0 && errno != EEXIST) { jail_fail(j, "mkdir(%s): %s", parent, strerror(errno)); return -1; }
            snprintf(dirs[i], 256, "%s/slot-%d", parent, j->slot);
        }
        if (v1_prepare(cg, &j->spec) < 0) { jail_fail(j, "cgroup v1 %s: %s", cg->mem, strerror(errno)); return -1; }
        if (cg->backend == CG_HYBRID && v2_prepare(cg->unified, &j->spec, false) < 0) {
            jail_fail(j, "cgroup v2 %s: %s", cg->unified, strerror(errno));
            return -1;
        }
        break;
    }
    }
    char path[512];
    cg->cpu_is_v2 = cg->unified[0] != 0;
    snprintf(path, sizeof path, "%s/%s", cg->cpu_is_v2 ? cg->unified : cg->cpu, cg->cpu_is_v2 ? "cpu.stat" : "cpuacct.usage");
    cg->cpu_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (cg->cpu_fd < 0) { jail_fail(j, "open(%s): %s", path, strerror(errno)); return -1; }
    return 0;
}

int cgroup_enter(struct jail *j, pid_t pid) {
    struct cgroup_state *cg = &j->cg;
    char v[32];
    snprintf(v, sizeof v, "%d", (int)pid);
    const char *dirs[] = {cg->mem, cg->pids, cg->cpu, cg->unified};
    for (int i = 0; i < 4; i++) {
        if (!dirs[i][0]) continue;
        if (cg_write(dirs[i], "cgroup.procs", v) < 0) { jail_fail(j, "write(%s/cgroup.procs, %s): %s", dirs[i], v, strerror(errno)); return -1; }
    }
    return 0;
}

int cgroup_cpu_us(struct jail *j, uint64_t *us) {
    struct cgroup_state *cg = &j->cg;
    if (cg->cpu_fd < 0) return -1;
    if (cg->cpu_is_v2) return v2_cpu(cg->cpu_fd, us, NULL, NULL);
    char buf[64];
    ssize_t r = pread(cg->cpu_fd, buf, sizeof buf - 1, 0);
    if (r <= 0) return -1;
    buf[r] = 0;
    *us = strtoull(buf, NULL, 10) / 1000;
    return 0;
}

void cgroup_collect(struct jail *j, struct cgroup_stats *st) {
    struct cgroup_state *cg = &j->cg;
    memset(st, 0, sizeof *st);
    if (cg->backend == CG_NONE) return;
    if (cg->cpu_is_v2) {
        if (v2_cpu(cg->cpu_fd, &st->cpu_us, &st->user_us, &st->system_us) == 0) st->have_cpu = true;
    } else {
        uint64_t u, s;
        if (cgroup_cpu_us(j, &st->cpu_us) == 0 && cg_read_u64(cg->cpu, "cpuacct.usage_user", &u) == 0 &&
            cg_read_u64(cg->cpu, "cpuacct.usage_sys", &s) == 0) {
            st->have_cpu = true; st->user_us = u / 1000; st->system_us = s / 1000;
        }
    }
    if (cg->backend == CG_V2) v2_collect(cg->unified, st);
    else v1_collect(cg, st);
}

/* Whether any process is left in the run's cgroup. */
bool cgroup_populated(struct jail *j) {
    struct cgroup_state *cg = &j->cg;
    char buf[256];
    uint64_t populated = 1;
    if (cg->unified[0] && cg_read(cg->unified, "cgroup.events", buf, sizeof buf) == 0 && cg_field_u64(buf, "populated", &populated) == 0)
        return populated != 0;
    if (cg->pids[0] && cg_read(cg->pids, "cgroup.procs", buf, sizeof buf) == 0) return buf[0] != 0;
    return true;
}

int cgroup_kill(struct jail *j) {
    struct cgroup_state *cg = &j->cg;
    if (cg->backend == CG_NONE) return 0;
    if (cg->unified[0]) return v2_kill(cg->unified);
    return v1_kill(cg->pids);
}

void cgroup_destroy(struct jail *j) {
    struct cgroup_state *cg = &j->cg;
    if (cg->cpu_fd >= 0) { close(cg->cpu_fd); cg->cpu_fd = -1; }
    if (cg->backend == CG_NONE) return;
    /* A second belt: nothing may outlive the run. Usually pid 1 already emptied the cgroup. */
    if (cgroup_populated(j)) (void)cgroup_kill(j);
    char *dirs[] = {cg->mem, cg->pids, cg->cpu, cg->unified};
    for (int i = 0; i < 4; i++) {
        if (!dirs[i][0]) continue;
        if (cg_rmdir_wait(dirs[i]) < 0) jail_fail(j, "rmdir(%s): %s", dirs[i], strerror(errno));
        dirs[i][0] = 0;
    }
}
