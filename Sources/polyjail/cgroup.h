/* cgroup.h: helpers shared by the cgroup backends. The public lifecycle (detect, prepare,
 * enter, cpu, collect, kill, destroy) is in jail.h and dispatched in cgroup.c. */
#ifndef POLYJAIL_CGROUP_H
#define POLYJAIL_CGROUP_H
#include "jail.h"

int cg_write(const char *dir, const char *file, const char *value);
int cg_read(const char *dir, const char *file, char *buf, size_t n);
int cg_read_u64(const char *dir, const char *file, uint64_t *v);
int cg_field_u64(const char *text, const char *key, uint64_t *v);
int cg_mkdir_fresh(const char *dir);
int cg_rmdir_wait(const char *dir);

int v2_prepare(const char *dir, const struct spec *s, bool limits);
int v2_cpu(int fd, uint64_t *us, uint64_t *user, uint64_t *sys);
void v2_collect(const char *dir, struct cgroup_stats *st);
int v2_kill(const char *dir);

int v1_prepare(struct cgroup_state *cg, const struct spec *s);
void v1_collect(struct cgroup_state *cg, struct cgroup_stats *st);
int v1_kill(const char *pids_dir);
#endif
