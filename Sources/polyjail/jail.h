/* jail.h: the one state struct of polyjail and the phase functions of each concern.
 * State lives in one `struct jail` passed explicitly; there are no globals except the
 * signal flag of pid 1 (a handler may only set a flag). */
#ifndef POLYJAIL_JAIL_H
#define POLYJAIL_JAIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

/* Limits of one spec, exported by `polyjail tables` so that polygrader refuses (as a learner-readable
 * error) what the jail could not run, instead of the jail failing mid-spec. */
#define JAIL_MAX_ARGS 4096      /* argv entries, and env entries */
#define JAIL_MAX_SPEC_BYTES (4u << 20) /* one spec, all lines */
#define JAIL_MAX_LINE 65536     /* one spec line */
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
    char *id;                /* the request id, echoed in the record (serve mode) */
    char **argv; int argc;   /* NULL-terminated, up to JAIL_MAX_ARGS */
    char **env; int envc;
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
    char *raw; size_t raw_len; /* the spec's text, forwarded to pid 1 of a prepared jail */
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

struct tmpfs_sizes { uint64_t box_size, box_inodes, tmp_size, tmp_inodes; };

struct cgroup_stats {
    bool have_cpu; uint64_t cpu_us, user_us, system_us;
    bool have_peak; uint64_t peak;
    bool oom_killed;
};

struct cg_ops;
struct cgroup_state {
    enum cg_backend backend;
    const struct cg_ops *ops;
    char mem[256], pids[256], cpu[256], unified[256]; /* the jail's directories ("" if unused) */
    int cpu_fd;             /* kept open: polled every tick */
    int peak_fd, oom_fd;    /* kept open from creation: read once after the run, off the request's path */
    bool limited; uint64_t limit_memory, limit_processes; /* what was last written */
};

/* A jail prepared before its request arrives (prepared.c): pid 1 in fresh namespaces, in a
 * cgroup of its own (made by pid 1), its read-only root built, waiting on `ctl` for exactly one request. */
struct prepared {
    pid_t pid1;
    int pidfd;                      /* pid 1's, readable once it has exited */
    int ctl_fd;                     /* the request goes down this socket, with its descriptors */
    int report_fd, exec_fd, out_fd, err_fd; /* the supervisor's ends of pid 1's pipes */
    int stdin_fd;                   /* the program's stdin memfd: filled and sealed at the request */
    int go_fd;                      /* write end of the program child's go pipe (pid 1 holds one too) */
    struct tmpfs_sizes sizes;       /* what /box and /tmp were mounted with */
    struct cgroup_state cg;
    char *key;                      /* what the root was built from (prepared_key) */
    uint64_t created_us;
    int seq;                        /* which of the slot's cgroup names it has */
    bool ready;                     /* pid 1 said it is prepared and handed over its cgroup's files */
};

/* What pid 1 gets over its socket before the request's spec and filter bytes. */
struct request_header {
    uint32_t magic;                 /* REQUEST_MAGIC */
    uint32_t spec_len;              /* bytes of spec text that follow (the prepared child has its filter) */
    uint32_t has_box, has_collect;  /* which descriptors follow, in this order, in SCM_RIGHTS */
    uint32_t go_sent;               /* the supervisor released the program child itself (supervise.c) */
};
#define REQUEST_MAGIC 0x706a7271u

/* Used jails torn down while the helper waits; when all are still dying, the oldest is waited for. */
#define GRAVEYARD_MAX 4
/* Jails kept ready: three for the last request's root, and one for the root before it (a slot
 * alternates compile and run steps: main.c). Three, because a request takes the oldest: back to back
 * (a request about a millisecond after the last record) it is then about two runs old. With two it was
 * about one run old, and one request in eight found its pid 1 still preparing (in the middle of a
 * cgroup move or the seccomp hand-over) and waited for it; with three, one in a hundred (benchmarks/README.md). */
#define READY_FOR_LATEST 3
#define PREPARED_MAX (READY_FOR_LATEST + 1)
#define RECENT_ROOTS 2
#define JAIL_SEQS (GRAVEYARD_MAX + PREPARED_MAX + 1) /* cgroup names per slot: dying, ready, running */

/* A read-only root built once and copied by each prepared jail (mounts.c, "Templates"): a mount
 * namespace no process is in, held by its descriptor; kept for the recent roots. */
struct root_template { char *key; int ns_fd; uint64_t built_us; };
#define TEMPLATES_MAX RECENT_ROOTS
/* A template is rebuilt after this long (POLYJAIL_TEMPLATE_MAX_AGE_MS when set: tests shorten it):
 * binds are taken when it is built, so a path that appears, or a file replaced by a rename (an /etc
 * entry), reaches new jails within seconds, as it did when every jail bound its own. */
#define TEMPLATE_MAX_AGE_MS 10000

/* What a long-lived `polyjail serve` keeps between runs (nothing of a run's own state). */
struct serve_cache {
    char *filter_key;          /* the policy the cached filter was compiled from */
    struct sock_fprog filter;
    bool shared_netns;         /* this process sits in an empty network namespace of its own */
    int runs_in_netns;
    int host_netns_fd;
    struct prepared *ready[PREPARED_MAX]; int nready; /* prepared jails, oldest first */
    struct prepared *dying[GRAVEYARD_MAX]; int ndying; /* used jails still being torn down */
    uid_t ids_checked;         /* the last slot uid found absent from the host's users and groups */
    struct root_template templates[TEMPLATES_MAX]; int ntemplates; /* most recently used first */
    int template_max_age_ms;
};

struct jail {
    struct spec spec;
    struct serve_cache *cache; /* NULL in one-shot mode */
    int slot; uid_t uid; gid_t gid;
    int helper_cpu; /* the CPU the supervisor ran on when it cloned pid 1 (prepared.c), or -1 */
    int template_fd; /* the root template pid 1 copies (prepared.c), or -1: pid 1 builds its root */
    int slot_lock_fd;
    struct sock_fprog filter;
    struct cgroup_state cg;   /* the run's (a copy of its prepared jail's) */
    bool prepared;            /* served by a jail made before its request arrived (the record says so) */
    char error[JAIL_ERR_LEN]; /* set by jail_fail: the run is IE */
    /* `run --stream`: the caller's pipes the program gets as its stdin and stdout instead of the
     * sealed memfd and the collected pipe (-1 otherwise); the supervisor's copies are closed as soon
     * as pid 1 holds them (docs/polyjail.md, "Streams"). */
    int stream_in, stream_out;
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
void close_if(int *fd);
uint64_t mono_us(void); /* CLOCK_MONOTONIC in microseconds */
int close_all_but(const int *keep, int n);
int env_ms(const char *name, int fallback); /* a duration in ms from the environment (0–3600000), else fallback */
#define JAIL_PASS_FDS_MAX 3
int send_fds(int sock, const void *buf, size_t len, const int *fds, int nfd);
ssize_t recv_fds(int sock, void *buf, size_t len, int flags, int *fds, int max, int *nfds);

/* spec.c: a buffered reader, so serve mode can read spec after spec from one pipe; with `mem`
 * set it reads that text instead (pid 1 parses the spec it was sent). */
struct reader { int fd; const char *mem; size_t mem_len; size_t pos, len; char buf[8192]; };
/* 1: a spec; 0: clean EOF; -1: a bad spec, read to its `end` line (the id, if any, is kept);
 * -2: the stream itself failed (unreadable, or a line or spec over the limits): stop serving. */
int spec_read(struct spec *s, struct reader *rd, char *err, size_t errlen);
void spec_defaults(struct spec *s);
void spec_free(struct spec *s);
char *spec_root_key(const struct spec *s); /* what a prepared root depends on (malloc'd) */
bool spec_binds_tmp(const struct spec *s); /* a bind below /tmp: the root cannot be a template */
size_t spec_run_lines(const struct spec *s, char *out); /* pid 1's lines of s->raw into out (raw_len bytes) */

/* seccomp.c */
int filter_compile(struct jail *j);
int filter_prepare(struct jail *j);
int filter_load(const struct sock_fprog *prog, bool listener); /* returns the listener fd when asked */
const char *filter_syscall_name(int nr);

/* cgroup.c, the front of the cgroup layers (cgroup.h) */
enum cg_backend cgroup_detect(char *detail, size_t n);
int cgroup_name(struct cgroup_state *cg, enum level level, const char *cgroup_root, const char *name, char *err, size_t n);
int cgroup_make(struct cgroup_state *cg, char *err, size_t n);
int cgroup_remove_leftover(const struct cgroup_state *cg, char *err, size_t n);
int cgroup_join_self(const struct cgroup_state *cg, char *err, size_t n);
int cgroup_set_limits(struct cgroup_state *cg, const struct spec *s, char *err, size_t n);
int cgroup_cpu_us(const struct cgroup_state *cg, uint64_t *us);
void cgroup_collect(const struct cgroup_state *cg, struct cgroup_stats *st);
int cgroup_kill(const struct cgroup_state *cg);
int cgroup_destroy(struct cgroup_state *cg, char *err, size_t n);

/* mounts.c (inside pid 1): the root while preparing, /box and /tmp per request */
int mounts_build_root(struct jail *j, char *err, size_t n);
int mounts_template_build(struct jail *j, char *err, size_t n); /* the supervisor: the template's descriptor, or -1 */
int mounts_enter_template(struct jail *j, int template_fd, char *err, size_t n);
int mounts_request(struct jail *j, const struct tmpfs_sizes *mounted, int box_from_fd, char *err, size_t n);

/* prepared.c (the supervisor) */
struct prepared *prepared_create(struct jail *j, int seq, char *err, size_t n);
bool prepared_usable(const struct prepared *p, const char *key);
void prepared_discard(struct prepared *p);   /* kills, reaps, removes its cgroup, frees */
int prepared_finish(struct prepared *p, char *err, size_t n); /* after its run: reap pid 1, remove cgroup, free */
/* The same without waiting and without removing the cgroup (the next jail of its name does): 1 when
 * done (p freed), 0 when pid 1 is still exiting, -1 on error (p freed). */
int prepared_try_finish(struct prepared *p, char *err, size_t n);
int prepared_wait_ready(struct prepared *p, char *err, size_t n); /* 0, or -1 with pid 1's error */

/* safeio.c */
int safe_copy_in(int src_dir, int dst_dir, uid_t uid, gid_t gid, char *err, size_t n);
int safe_collect(int box_dir, const char *rel, int out_dir, uint64_t *budget, char *err, size_t n);

/* credentials.c, rlimits.c (the program child; pid 1 plans the rlimits) */
#define RLIMITS_MAX 16
struct rlimit_entry { uint32_t resource; uint64_t cur, max; };
int rlimits_plan(const struct spec *s, struct rlimit_entry out[RLIMITS_MAX]);
int rlimits_apply_self(const struct rlimit_entry *e, int n);
int credentials_drop(uid_t uid, gid_t gid);
int slot_ids_check(struct jail *j); /* refuses a slot uid/gid that is a host user or group (IE) */

/* inside.c: pid 1, from preparation to its report */
struct inside_fds { int ctl, report, exec, out, err, stdin_mfd, go_r, go_w; };
void inside_main(struct jail *j, struct inside_fds fds) __attribute__((noreturn));
/* The go message (rlimits, argv, env; or an errno to report instead of running) down the child's
 * go pipe: written by pid 1 after its box work, or by the supervisor when there is none. */
int go_send(int go_fd, const struct spec *s, int forced_errno, char *err, size_t n);
void go_warm(void);     /* see warm_pages (main.c) */
void result_warm(void);

/* supervise.c: one request on a prepared jail (NULL: the run failed before one existed) */
int supervise_run(struct jail *j, struct prepared *p, int result_fd);
int supervise_stop_on_sigterm(void); /* `run --stream` */

/* probe.c */
int probe_print(int fd);

#endif
