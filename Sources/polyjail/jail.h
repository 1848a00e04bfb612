/* jail.h: the one state struct of polyjail and the phase functions of each concern.
 * State lives in one `struct jail` passed explicitly; there are no globals except the
 * signal flag of pid 1 (a handler may only set a flag). */
#ifndef POLYJAIL_JAIL_H
#define POLYJAIL_JAIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

#define JAIL_MAX_ARGS 256
#define JAIL_MAX_LIST 128
#define JAIL_MAX_ERRNO 64
#define JAIL_ERR_LEN 512
#define JAIL_UID_BASE 60000       /* default uid_base; see docs/polyjail.md */
#define JAIL_UID_BASE_MIN 1000    /* below: system users */
#define JAIL_UID_BASE_MAX 2147482648ull /* base + 999 stays below 2^31 (some tools read uids as int) */

enum seccomp_policy { POLICY_DEFAULT, POLICY_STRICT };
enum proc_mode { PROC_PID, PROC_ALL, PROC_NONE };
enum level { LEVEL_FULL, LEVEL_NO_CGROUP };
enum cg_backend { CG_NONE, CG_V1, CG_V2, CG_HYBRID };

struct errno_rule { char *syscall; int err; };

/* The run spec, as read from the spec file (spec.c). */
struct spec {
    char *argv[JAIL_MAX_ARGS + 1]; int argc;
    char *env[JAIL_MAX_ARGS + 1]; int envc;
    uint64_t cpu_ms, wall_ms, memory, rlimit_as, file_size, output, stderr_cap, stack;
    uint64_t processes, open_files;
    uint64_t box_size, box_inodes, tmp_size, tmp_inodes, shm_size;
    char *devs[8]; int ndevs;
    enum proc_mode proc;
    char *binds[JAIL_MAX_LIST]; bool bind_optional[JAIL_MAX_LIST]; int nbinds;
    char *etc[JAIL_MAX_LIST]; int netc;
    enum seccomp_policy policy;
    char *allow[512]; int nallow;
    struct errno_rule errnos[JAIL_MAX_ERRNO]; int nerrnos;
    bool loopback;
    int slot; /* -1 = first free */
    uint64_t uid_base; /* slot N runs as uid and gid uid_base + N */
    char *box_from, *stdin_path, *stdout_path, *stderr_path;
    char *collect[JAIL_MAX_LIST]; int ncollect;
    char *collect_to; uint64_t collect_max;
    enum level level;
    char *cgroup_root; /* v2: a delegated directory; default detected */
};

/* What pid 1 tells the supervisor at the end (a fixed-size struct over a pipe). */
struct inside_report {
    int ok;                 /* 1 when pid 1 completed its job */
    int program_status;     /* wait status of the program */
    int program_reaped;
    int64_t maxrss_kb;
    int64_t utime_us, stime_us;
    int exec_errno;
    int seccomp_syscall;    /* -1 unless a notification named it */
    int collect_truncated;
    char error[JAIL_ERR_LEN];
};

struct cgroup_stats {
    bool have_cpu; uint64_t cpu_us, user_us, system_us;
    bool have_peak; uint64_t peak;
    bool oom_killed;
};

struct cgroup_state {
    enum cg_backend backend;
    char mem[256], pids[256], cpu[256], unified[256]; /* per-run directories ("" if unused) */
    int cpu_fd;             /* kept open: polled every tick */
    bool cpu_is_v2;
};

/* What a long-lived `polyjail serve` keeps between runs (nothing of a run's own state). */
struct serve_cache {
    char *filter_key;          /* the policy the cached filter was compiled from */
    struct sock_fprog filter;
    bool shared_netns;         /* this process sits in an empty network namespace of its own */
    int runs_in_netns;
    int host_netns_fd;
    uid_t ids_checked;         /* the last slot uid found absent from the host's users and groups */
};

struct jail {
    struct spec spec;
    struct serve_cache *cache; /* NULL in one-shot mode */
    int slot; uid_t uid; gid_t gid;
    int slot_lock_fd;
    struct sock_fprog filter;
    struct cgroup_state cg;
    char error[JAIL_ERR_LEN]; /* set by jail_fail: the run is IE */
};

/* The jail's fixed tables, one copy each; `polyjail tables` exports them (tables.c) and the
 * Swift side validates profiles against that export. */
struct deny_rule { const char *name; int err; const char *why; };
struct errno_name { const char *name; int err; };
struct device { const char *name; unsigned minor; };
extern const struct deny_rule jail_deny[];     /* seccomp.c */
extern const int jail_ndeny;
extern const int jail_socket_families[];       /* seccomp.c */
extern const int jail_socket_nfamilies;
extern const struct errno_name jail_errnos[];  /* spec.c */
extern const int jail_nerrnos;
extern const struct device jail_devices[];     /* mounts.c */
extern const int jail_ndevices;
int tables_print(int fd);                      /* tables.c */

/* fail.c */
void jail_fail(struct jail *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void die_child(int fd, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
int write_all(int fd, const void *buf, size_t n);

/* spec.c: a buffered reader, so serve mode can read spec after spec from one pipe */
struct reader { int fd; size_t pos, len; char buf[8192]; };
int spec_read(struct spec *s, struct reader *rd, char *err, size_t errlen);
void spec_defaults(struct spec *s);
void spec_free(struct spec *s);

/* seccomp.c */
int filter_compile(struct jail *j);
int filter_prepare(struct jail *j);
int filter_load(const struct sock_fprog *prog, bool listener); /* returns the listener fd when asked */
const char *filter_syscall_name(int nr);

/* cgroup.c (dispatches to cgroup_v1.c / cgroup_v2.c) */
enum cg_backend cgroup_detect(char *detail, size_t n);
int cgroup_prepare(struct jail *j);
int cgroup_enter(struct jail *j, pid_t pid);
int cgroup_cpu_us(struct jail *j, uint64_t *us);
void cgroup_collect(struct jail *j, struct cgroup_stats *st);
int cgroup_kill(struct jail *j);
bool cgroup_populated(struct jail *j);
void cgroup_destroy(struct jail *j);

/* mounts.c (inside pid 1) */
int mounts_build_root(struct jail *j, int box_from_fd, char *err, size_t n);

/* safeio.c */
int safe_copy_in(int src_dir, int dst_dir, uid_t uid, gid_t gid, char *err, size_t n);
int safe_collect(int box_dir, const char *rel, int out_dir, uint64_t *budget, char *err, size_t n);

/* credentials.c, rlimits.c (inside the program child) */
int rlimits_apply(const struct spec *s);
int credentials_drop(uid_t uid, gid_t gid);
int slot_ids_check(struct jail *j); /* refuses a slot uid/gid that is a host user or group (IE) */

/* inside.c */
int inside_main(struct jail *j, int sync_fd, int report_fd, int exec_fd, int in_fd, int out_fd, int err_fd,
                int box_from_fd, int collect_fd) __attribute__((noreturn));

/* supervise.c */
int supervise_run(struct jail *j, int result_fd);

/* probe.c */
int probe_print(int fd);

#endif
