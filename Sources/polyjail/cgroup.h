/* cgroup.h: the layers of the cgroup code (nsjail's shape).
 *   cgroup.c         the front: what supervise.c, prepared.c and pid 1 call (jail.h)
 *   cgroup_v2.c      backend: a delegated v2 subtree (limits, cpu.stat, memory.events, cgroup.kill)
 *   cgroup_v1.c      backend: v1 memory, pids and cpuacct hierarchies
 *   cgroup_hybrid.c  backend: v1 memory and pids plus the v2 mount for cpu.stat and cgroup.kill
 *   cgroup_fs.c      the bottom: control-file reads and writes, mkdir and rmdir
 * A backend only calls down (into cgroup_fs.c, and hybrid into the v1/v2 building blocks);
 * nothing calls back up into the front. */
#ifndef POLYJAIL_CGROUP_H
#define POLYJAIL_CGROUP_H
#include "jail.h"

#define CG_MOUNT "/sys/fs/cgroup"

/* cgroup_fs.c */
int cg_write(const char *dir, const char *file, const char *value);
int cg_read(const char *dir, const char *file, char *buf, size_t n);
int cg_read_u64(const char *dir, const char *file, uint64_t *v);
int cg_pread(int fd, char *buf, size_t n);
int cg_pread_u64(int fd, uint64_t *v);
int cg_field_u64(const char *text, const char *key, uint64_t *v);
int cg_mkdir(const char *dir);
int cg_rmdir_wait(const char *dir);
int cg_ensure_parent(const char *dir);

/* One backend. Directories live in struct cgroup_state (mem, pids, cpu, unified; "" if unused). */
struct cg_ops {
    /* Fills the directory names of jail `name` under the backend's roots (creating the roots). */
    int (*paths)(struct cgroup_state *cg, const char *cgroup_root, const char *name, char *err, size_t n);
    int (*limits)(const struct cgroup_state *cg, const struct spec *s);
    /* The file polled for CPU time and how to parse it. */
    const char *(*cpu_file)(const struct cgroup_state *cg, const char **dir);
    int (*cpu_parse)(int fd, uint64_t *us, uint64_t *user, uint64_t *sys);
    /* The files read once after the run (peak memory, OOM kills), opened when the cgroup is made. */
    void (*stat_files)(const struct cgroup_state *cg, const char **dir, const char **peak, const char **oom);
    void (*collect)(const struct cgroup_state *cg, struct cgroup_stats *st);
    int (*kill)(const struct cgroup_state *cg);
    bool (*populated)(const struct cgroup_state *cg);
};

extern const struct cg_ops cg_v1_ops, cg_v2_ops, cg_hybrid_ops;

/* Building blocks the hybrid backend shares with v1 and v2. */
int v1_limits(const struct cgroup_state *cg, const struct spec *s);
void v1_collect(const struct cgroup_state *cg, struct cgroup_stats *st);
void v1_stat_files(const struct cgroup_state *cg, const char **dir, const char **peak, const char **oom);
int v1_kill_members(const char *dir);
int v1_cpu_parse(int fd, uint64_t *us, uint64_t *user, uint64_t *sys);
int v2_cpu_parse(int fd, uint64_t *us, uint64_t *user, uint64_t *sys);
int v2_kill(const char *dir);
bool v2_populated(const char *dir);
#endif
