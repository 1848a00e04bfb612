/* polyjail: the jail helper of polygrader, the only C in the repository.
 *
 * Theory of operation
 * -------------------
 * polygrader (Swift, root, multi-threaded) never forks. It posix_spawns this small
 * single-threaded program, which runs as root:
 *
 *   polyjail (supervisor, host namespaces)
 *     reads the run spec (spec.c), holds the slot (uid 60000+slot), compiles the seccomp
 *     filter once per policy (seccomp.c), and runs it on a prepared jail (prepared.c):
 *     └─ pid 1 (new pid, mount, ipc, uts, cgroup and, when asked, net namespaces; root; inside.c)
 *          makes and joins a cgroup of its own (cgroup*.c), builds the tmpfs root with read-only binds,
 *          /dev, /proc, pivot_root (mounts.c; a serving helper builds each root once, as a
 *          template that pid 1 copies: "Templates" there), forks the program child and waits for its
 *          one request on a socket: the run's lines of the spec and the descriptors of the
 *          staging and the collect directories. When the box needs work it remounts /box and
 *          /tmp with the request's sizes, fills /box and releases the child:
 *          └─ the program: setsid, std fds, setgroups/setresgid/setresuid to the slot uid with
 *               the bounding set dropped and no_new_privs, seccomp; at the request rlimits, execve.
 *   The supervisor fills and seals the program's stdin memfd, writes the cgroup limits that
 *   changed, releases the child itself when the box needs no work, sends pid 1 the request, then
 *   polls the program's stdout/stderr pipes (caps: OLE), cgroup CPU (TLE), the wall clock from
 *   exec (a close-on-exec pipe tells it when exec happened). To stop a run it asks pid 1
 *   (SIGUSR1), which kills every process of the namespace, reaps them, copies the requested
 *   outputs out with no-follow opens, and reports down a pipe; if it does not, the supervisor
 *   kills pid 1 and the kernel kills the whole namespace. The supervisor writes one JSON record
 *   (result.c) on stdout and closes the request socket (pid 1 then exits); while no spec waits
 *   it tears used jails down and keeps jails prepared (serve --slot).
 *
 * Descriptors: request socket (supervisor → pid 1), exec (program → supervisor: EOF on exec, or
 * an error), report (pid 1 → supervisor: struct inside_report), stdout, stderr, go (supervisor or
 * pid 1 → program child), the stdin memfd.
 *
 * Usage: polyjail run [SPEC]   one run; the spec from a file or stdin, the record on stdout
 *        polyjail run --stream SPEC
 *                              the same, with the caller's pipes on descriptors 3 and 4 as the
 *                              program's stdin and stdout (a long-lived jailed service)
 *        polyjail serve [--slot N|auto]
 *                              runs spec after spec from stdin ("end" line), a record each; with
 *                              --slot it owns that slot (auto: the first free) for its life and
 *                              keeps the next jail prepared (prepared.c)
 *        polyjail probe        what the host offers, as JSON
 *        polyjail tables       the deny list, errno and device names, defaults, as JSON (tables.c)
 * Exit: 0 when a record was written (whatever the program did), 2 on a bad spec, 1 otherwise.
 */
#include "jail.h"
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RUN_DIR "/run/polyjail"
#define MAX_SLOTS 32 /* auto slots; fixed slots may go up to 999 */

static int ensure_dirs(char *err, size_t n) {
    const char *dirs[] = {RUN_DIR, RUN_DIR "/root", RUN_DIR "/slots"};
    for (int i = 0; i < 3; i++) {
        if (mkdir(dirs[i], 0755) < 0 && errno != EEXIST) { snprintf(err, n, "mkdir(%s): %s", dirs[i], strerror(errno)); return -1; }
        struct stat st;
        /* Ours alone: a directory someone else could swap would let them redirect our mounts. */
        if (lstat(dirs[i], &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)) {
            snprintf(err, n, "%s must be a root-owned directory not writable by others", dirs[i]);
            return -1;
        }
    }
    return 0;
}

/* One run per slot at a time, across processes: the lock is held for the whole run. */
/* How long a fixed slot is waited for: a retired helper of the same slot exits within moments; a lock
 * held longer belongs to another process (another instance whose slot range overlaps this one's). */
#define SLOT_WAIT_MS 30000

/* The bound in ms: SLOT_WAIT_MS, or POLYJAIL_SLOT_WAIT_MS when set (tests shorten it). */
static int slot_wait_ms(void) { return env_ms("POLYJAIL_SLOT_WAIT_MS", SLOT_WAIT_MS); }

/* Takes the lock of a fixed slot, waiting at most slot_wait_ms(). */
static int lock_fixed_slot(int fd) {
    int limit = slot_wait_ms();
    for (int waited = 0;; waited += 10) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) return 0;
        if (errno != EWOULDBLOCK && errno != EINTR) return -1;
        if (waited >= limit) { errno = EWOULDBLOCK; return -1; }
        if (usleep(10000) < 0 && errno != EINTR) return -1;
    }
}

static int slot_acquire(struct jail *j) {
    char path[128];
    int first = j->spec.slot >= 0 ? j->spec.slot : 0, last = j->spec.slot >= 0 ? j->spec.slot : MAX_SLOTS - 1;
    for (int pass = 0; pass < 2; pass++) {
        for (int slot = first; slot <= last; slot++) {
            snprintf(path, sizeof path, RUN_DIR "/slots/%d.lock", slot);
            int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (fd < 0) { jail_fail(j, "open(%s): %s", path, strerror(errno)); return -1; }
            /* Fixed slot: wait for it, bounded. Auto: first free one; on a second pass, wait on the first. */
            int got = j->spec.slot >= 0 ? lock_fixed_slot(fd) : flock(fd, pass == 1 ? LOCK_EX : LOCK_EX | LOCK_NB);
            if (got == 0) {
                j->slot = slot; j->uid = (uid_t)(j->spec.uid_base + (unsigned)slot); j->gid = (gid_t)j->uid; j->slot_lock_fd = fd;
                return 0;
            }
            int err = errno;
            close(fd);
            if (err == EWOULDBLOCK && j->spec.slot >= 0) {
                jail_fail(j, "slot %d is held by another process (waited %d ms): another polygrader instance may use the same "
                          "slots; give each instance its own range (POLYGRADER first_slot, docs/install.md)", slot, slot_wait_ms());
                return -1;
            }
            if (err != EWOULDBLOCK) { jail_fail(j, "flock(%s): %s", path, strerror(err)); return -1; }
            if (pass == 1) break;
        }
    }
    jail_fail(j, "no free slot");
    return -1;
}

/* serve mode: one empty network namespace for this process, renewed every NETNS_RUNS jails.
 * A new namespace per run costs ~1 ms (its teardown runs after the run); all processes of a
 * run are dead before the next starts, so only counters could carry information across runs,
 * hence the renewal. Runs that ask for loopback still get a namespace of their own. */
#define NETNS_RUNS 64
static void serve_netns(struct serve_cache *c) {
    c->runs_in_netns++;
    if (c->shared_netns && c->runs_in_netns < NETNS_RUNS) return;
    if (c->shared_netns && setns(c->host_netns_fd, CLONE_NEWNET) < 0) { c->shared_netns = false; return; }
    c->shared_netns = unshare(CLONE_NEWNET) == 0;
    c->runs_in_netns = 0;
}

/* A prepared jail idle this long is replaced by a fresh one: no jail grows old waiting. */
#define PREPARED_IDLE_MS 30000

/* A helper of `serve --slot`: it owns its slot for its whole life and keeps the next jails ready. */
struct helper {
    struct reader *rd;
    struct serve_cache cache;
    bool owns_slot;
    int slot, slot_lock_fd;
    char *heap_lo;    /* the program break at start: the heap warm_pages touches begins here */
    /* Spec and filter of the last good run of each of the last two roots (most recent first): what
     * the prepared jails are made from. A slot that alternates two roots (a compile step in
     * `compiler`, runs in `native`) finds a jail ready for each instead of making one on the
     * request's path at every switch. */
    struct jail recent[RECENT_ROOTS];
    char *recent_key[RECENT_ROOTS];
    int nrecent;
    int stream_in, stream_out; /* `run --stream`: descriptors 3 and 4, else -1 */
    struct cgroup_state left[JAIL_SEQS]; /* the cgroups used jails left behind, by name (seq) */
};

static void set_slot(struct jail *j, int slot, int lock_fd) {
    j->slot = slot; j->uid = (uid_t)(j->spec.uid_base + (unsigned)slot); j->gid = (gid_t)j->uid; j->slot_lock_fd = lock_fd;
}

/* A cgroup name (seq) that no jail of this helper uses now. */
static int free_seq(struct helper *h, const struct prepared *running) {
    for (int seq = 0; seq < JAIL_SEQS; seq++) {
        bool used = running && running->seq == seq;
        for (int i = 0; i < h->cache.nready; i++) used = used || h->cache.ready[i]->seq == seq;
        for (int i = 0; i < h->cache.ndying; i++) used = used || h->cache.dying[i]->seq == seq;
        if (!used) return seq;
    }
    return -1; /* cannot happen: the graveyard is bounded */
}

/* At exit: the cgroups its used jails left for the next of their name (prepared_try_finish). */
static void remove_slot_cgroups(struct helper *h) {
    for (int seq = 0; seq < JAIL_SEQS; seq++) {
        char err[JAIL_ERR_LEN];
        if (h->left[seq].backend != CG_NONE && cgroup_remove_leftover(&h->left[seq], err, sizeof err) < 0)
            fprintf(stderr, "polyjail: removing a jail's cgroup: %s\n", err);
    }
}

/* Used jails are torn down while the helper would otherwise wait: pid 1's exit (the namespaces'
 * teardown) stays off the next request's path, and the cgroup stays for the next jail of its name. */
static void bury(struct helper *h, struct prepared *p) {
    char err[JAIL_ERR_LEN];
    h->left[p->seq] = p->cg; /* its names, for remove_slot_cgroups */
    h->left[p->seq].cpu_fd = h->left[p->seq].peak_fd = h->left[p->seq].oom_fd = -1;
    int r = prepared_try_finish(p, err, sizeof err);
    if (r < 0) fprintf(stderr, "polyjail: tearing down a jail: %s\n", err);
    if (r != 0) return;
    if (h->cache.ndying == GRAVEYARD_MAX) { /* bounded: the oldest is finished now, waiting */
        if (prepared_finish(h->cache.dying[0], err, sizeof err) < 0) fprintf(stderr, "polyjail: tearing down a jail: %s\n", err);
        memmove(h->cache.dying, h->cache.dying + 1, sizeof h->cache.dying[0] * (GRAVEYARD_MAX - 1));
        h->cache.ndying--;
    }
    h->cache.dying[h->cache.ndying++] = p;
}

static int ready_for(const struct helper *h, const char *key) {
    int n = 0;
    for (int i = 0; i < h->cache.nready; i++) n += !strcmp(h->cache.ready[i]->key, key);
    return n;
}

/* Which recent root needs a jail next (-1: none): READY_FOR_LATEST for the most recent, one for the other. */
static int root_to_prepare(const struct helper *h) {
    if (h->nrecent == 0 || h->cache.nready >= PREPARED_MAX) return -1;
    if (ready_for(h, h->recent_key[0]) < READY_FOR_LATEST) return 0;
    if (h->nrecent > 1 && ready_for(h, h->recent_key[1]) < 1) return 1;
    return -1;
}

/* Prepares one more jail from a recent root's spec; a failure is logged, and the request then
 * makes its own. Returns false on failure, so that the caller does not retry at once. */
static bool prepare_one(struct helper *h, int which) {
    char err[JAIL_ERR_LEN];
    serve_netns(&h->cache);
    struct prepared *p = prepared_create(&h->recent[which], free_seq(h, NULL), err, sizeof err);
    if (!p) { fprintf(stderr, "polyjail: preparing a jail: %s\n", err); return false; }
    h->cache.ready[h->cache.nready++] = p;
    return true;
}

static void discard_ready(struct helper *h) {
    for (int i = 0; i < h->cache.nready; i++) prepared_discard(h->cache.ready[i]);
    h->cache.nready = 0;
}

static void drop_ready(struct helper *h, int i) {
    memmove(h->cache.ready + i, h->cache.ready + i + 1, sizeof h->cache.ready[0] * (size_t)(h->cache.nready - i - 1));
    h->cache.nready--;
}

/* The oldest prepared jail made for root `key`; one whose pid 1 failed meanwhile is thrown away. */
static struct prepared *take_ready(struct helper *h, const char *key) {
    for (int i = 0; i < h->cache.nready;) {
        struct prepared *p = h->cache.ready[i];
        if (strcmp(p->key, key)) { i++; continue; }
        drop_ready(h, i);
        if (prepared_usable(p, key)) return p;
        prepared_discard(p);
    }
    return NULL;
}

/* After a good run: its spec becomes the most recent root's (replacing that root's older spec),
 * the root before it stays second, and prepared jails of any other root are thrown away. The
 * helper takes ownership of `j`'s spec and filter. */
static void remember_root(struct helper *h, struct jail *j, char *key) {
    int same = -1;
    for (int i = 0; i < h->nrecent; i++) if (!strcmp(h->recent_key[i], key)) same = i;
    int drop = same >= 0 ? same : (h->nrecent == RECENT_ROOTS ? RECENT_ROOTS - 1 : -1);
    if (drop >= 0) {
        spec_free(&h->recent[drop].spec);
        free(h->recent[drop].filter.filter);
        free(h->recent_key[drop]);
        for (int i = drop; i < h->nrecent - 1; i++) { h->recent[i] = h->recent[i + 1]; h->recent_key[i] = h->recent_key[i + 1]; }
        h->nrecent--;
    }
    for (int i = h->nrecent; i > 0; i--) { h->recent[i] = h->recent[i - 1]; h->recent_key[i] = h->recent_key[i - 1]; }
    h->recent[0] = *j;
    h->recent_key[0] = key;
    h->nrecent++;
    for (int i = 0; i < h->cache.nready;) {
        struct prepared *p = h->cache.ready[i];
        bool kept = false;
        for (int k = 0; k < h->nrecent; k++) kept = kept || !strcmp(p->key, h->recent_key[k]);
        if (kept) { i++; continue; }
        drop_ready(h, i);
        prepared_discard(p);
    }
}

static void reap_dying(struct helper *h) {
    char err[JAIL_ERR_LEN];
    for (int i = 0; i < h->cache.ndying;) {
        int r = prepared_try_finish(h->cache.dying[i], err, sizeof err);
        if (r == 0) { i++; continue; }
        if (r < 0) fprintf(stderr, "polyjail: tearing down a jail: %s\n", err);
        memmove(h->cache.dying + i, h->cache.dying + i + 1, sizeof h->cache.dying[0] * (size_t)(h->cache.ndying - i - 1));
        h->cache.ndying--;
    }
}

/* Each prepared pid 1 was cloned from this process and shares its memory copy-on-write: the
 * helper's first write to each page afterwards faults and copies it. Rewriting (with the value it
 * holds) one byte of every page the request path writes (the heap, the stack it reaches, the
 * record and go buffers) takes those faults now, while no spec waits, instead of on the request's
 * path. Single-threaded, so rewriting a byte in place changes nothing. */
static void __attribute__((noinline)) warm_stack(void) {
    volatile char pad[160 << 10]; /* supervise_run's deepest path: drain's and fill_stdin's buffers */
    for (size_t i = 0; i < sizeof pad; i += 4096) pad[i] = 0;
}

static void warm_pages(struct helper *h) {
    char *top = sbrk(0);
    if (h->heap_lo && top != (char *)-1)
        for (char *p = (char *)((uintptr_t)h->heap_lo & ~(uintptr_t)4095); p < top; p += 4096) *(volatile char *)p = *(volatile char *)p;
    warm_stack();
    result_warm();
    go_warm();
}

/* warm_pages copies ~100 pages, more than a request's path writes: worth it only before a request that
 * comes after a pause. Runs back to back (the next spec within a millisecond or so of the record) skip it,
 * and take their few faults on the request's path instead (measured both ways: benchmarks/README.md). */
#define WARM_AFTER_MS 2

static int64_t mono_ms(void) { return (int64_t)(mono_us() / 1000); }

/* Waits until a spec can be read; meanwhile (never while a spec waits) prepares jails up to
 * PREPARED_MAX, finishes dying ones, keeps the prepared ones fresh, and once it has been idle
 * WARM_AFTER_MS after that, takes the copy-on-write faults of the request's path (warm_pages). */
static void wait_for_spec(struct helper *h) {
    bool prepare_failed = false;
    int64_t warm_at = -1; /* when to warm the pages, once everything is prepared; -1: not due */
    for (;;) {
        if (h->rd->pos < h->rd->len) return; /* buffered */
        int root = h->owns_slot && !prepare_failed ? root_to_prepare(h) : -1;
        bool top_up = root >= 0;
        struct pollfd f[1 + GRAVEYARD_MAX];
        f[0] = (struct pollfd){.fd = h->rd->fd, .events = POLLIN};
        nfds_t nf = 1;
        for (int i = 0; i < h->cache.ndying; i++) f[nf++] = (struct pollfd){.fd = h->cache.dying[i]->pidfd, .events = POLLIN};
        int timeout = top_up ? 0 : h->cache.ndying ? 100 : h->cache.nready ? PREPARED_IDLE_MS : -1;
        if (!top_up && warm_at >= 0) {
            int64_t now = mono_ms(), left = warm_at > now ? warm_at - now : 0;
            if (timeout < 0 || left < timeout) timeout = (int)left;
        }
        int r = poll(f, nf, timeout);
        if (r < 0 && errno == EINTR) continue;
        /* A waiting request comes first: preparation and teardown go on after its record. */
        if (r < 0 || (f[0].revents & (POLLIN | POLLHUP | POLLERR))) return; /* spec_read sees data, EOF or the error */
        if (h->cache.ndying) reap_dying(h);
        if (top_up) {
            prepare_failed = !prepare_one(h, root);
            if (prepare_failed || root_to_prepare(h) < 0) warm_at = mono_ms() + WARM_AFTER_MS;
            continue;
        }
        if (warm_at >= 0 && mono_ms() >= warm_at) { warm_pages(h); warm_at = -1; continue; }
        /* Idle this long: the prepared jails are replaced by fresh ones (no jail grows old waiting). */
        if (r == 0 && timeout == PREPARED_IDLE_MS) discard_ready(h);
    }
}

/* One request: read, run on the prepared jail (or one made now), record, prepare the next.
 * Returns 0 at EOF, 1 after a record, -1 when the stream cannot be trusted any more. */
static int serve_one(struct helper *h, bool serve) {
    struct jail j;
    memset(&j, 0, sizeof j);
    j.cache = serve ? &h->cache : NULL;
    j.slot_lock_fd = -1;
    j.cg.cpu_fd = j.cg.peak_fd = j.cg.oom_fd = -1;
    j.slot = -1;
    j.stream_in = h->stream_in; j.stream_out = h->stream_out;
    char err[JAIL_ERR_LEN];
    if (serve) wait_for_spec(h);
    int r = spec_read(&j.spec, h->rd, err, sizeof err);
    if (r == 0) { spec_free(&j.spec); return 0; }
    if (r == -2 || (r == -1 && !serve)) {
        fprintf(stderr, "polyjail: bad spec: %s\n", err);
        if (serve) { jail_fail(&j, "bad spec stream: %s", err); (void)supervise_run(&j, NULL, STDOUT_FILENO); }
        spec_free(&j.spec);
        return -1;
    }
    if (r == -1) jail_fail(&j, "bad spec: %s", err);
    /* A helper that owns its slot checked them at its start; they are root's, so they stay so. */
    if (!j.error[0] && !h->owns_slot && ensure_dirs(err, sizeof err) < 0) jail_fail(&j, "%s", err);
    if (!j.error[0]) {
        if (h->owns_slot) {
            if (j.spec.slot >= 0 && j.spec.slot != h->slot) jail_fail(&j, "the spec asks for slot %d; this helper serves slot %d", j.spec.slot, h->slot);
            else set_slot(&j, h->slot, -1);
        } else slot_acquire(&j);
    }
    if (!j.error[0]) slot_ids_check(&j);
    struct prepared *p = NULL;
    if (!j.error[0]) {
        char *key = spec_root_key(&j.spec);
        if (!key) jail_fail(&j, "out of memory");
        if (key) p = take_ready(h, key);
        free(key);
        j.prepared = p != NULL;
        /* A usable prepared jail's child has loaded its filter already (the key holds the policy):
         * the filter is only needed to make a jail. Failures are recorded in j.error. */
        if (!p && !j.error[0] && filter_prepare(&j) == 0) {
            if (serve) serve_netns(&h->cache);
            p = prepared_create(&j, serve ? free_seq(h, NULL) : 0, err, sizeof err);
            if (!p) jail_fail(&j, "%s", err);
        }
    }
    /* pid 1 holds the stream now (or the run failed before it could): the caller sees EOF on its
     * end only from the program, never because this supervisor still holds a copy. */
    if (h->stream_in >= 0 && close(h->stream_in) < 0) jail_fail(&j, "close(stream in): %s", strerror(errno));
    if (h->stream_out >= 0 && close(h->stream_out) < 0) jail_fail(&j, "close(stream out): %s", strerror(errno));
    h->stream_in = h->stream_out = -1;
    int wrote = supervise_run(&j, p, STDOUT_FILENO);
    /* The record woke its reader, usually onto this CPU; this kernel does not preempt us for it,
     * and what follows (teardown, preparing the next jails) keeps this CPU for up to a millisecond
     * of system calls. Yielding once lets the reader go first (a scheduler trace showed it waiting
     * 0.66 ms at the median of the slowest 8% of runs; benchmarks/README.md). sched_yield cannot fail. */
    if (serve) (void)sched_yield();
    /* The record is out: this jail is torn down while the helper waits for the next spec (and
     * meanwhile prepares the next jails, wait_for_spec). */
    if (p) {
        /* A helper that owns its slot leaves the cgroup for the slot's next jail of that name to remove;
         * one that takes a slot per run removes it now. */
        if (serve && h->owns_slot) bury(h, p); /* closes its socket first: pid 1 waits for that to exit */
        else if (prepared_finish(p, err, sizeof err) < 0) fprintf(stderr, "polyjail: tearing down a jail: %s\n", err);
    }
    if (j.slot_lock_fd >= 0) (void)close(j.slot_lock_fd); /* releases the per-run slot lock */
    /* A request served by a prepared jail never needed its filter; the next jails do. */
    char *key = NULL;
    if (h->owns_slot && serve && !j.error[0] && (j.filter.filter || filter_prepare(&j) == 0) && (key = spec_root_key(&j.spec))) {
        remember_root(h, &j, key);
    } else {
        free(j.filter.filter);
        spec_free(&j.spec);
    }
    return wrote < 0 ? -1 : 1;
}

/* A stream descriptor must be a pipe open in the one direction given: data only, no descriptors
 * can be passed over it (a socket could carry SCM_RIGHTS), and nothing of the host is named. */
static int stream_check(int fd, int mode) {
    struct stat st;
    int fl = fcntl(fd, F_GETFL);
    if (fstat(fd, &st) < 0 || fl < 0) { fprintf(stderr, "polyjail: --stream: descriptor %d: %s\n", fd, strerror(errno)); return -1; }
    if (!S_ISFIFO(st.st_mode) || (fl & O_ACCMODE) != mode) {
        fprintf(stderr, "polyjail: --stream: descriptor %d must be the %s end of a pipe\n", fd, mode == O_RDONLY ? "read" : "write");
        return -1;
    }
    /* The program reads and writes them blocking, like any stdin and stdout. */
    if ((fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) { fprintf(stderr, "polyjail: fcntl(%d): %s\n", fd, strerror(errno)); return -1; }
    return 0;
}

static int parse_slot_arg(const char *v) {
    if (!strcmp(v, "auto")) return -1;
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == 0 || *end || n < 0 || n > 999) return -2;
    return (int)n;
}

int main(int argc, char **argv) {
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) return 1;
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "probe")) return probe_print(STDOUT_FILENO) < 0 ? 1 : 0;
    if (!strcmp(mode, "tables")) return tables_print(STDOUT_FILENO) < 0 ? 1 : 0;
    bool serve = !strcmp(mode, "serve");
    int want_slot = -3; /* none */
    if (serve && argc == 4 && !strcmp(argv[2], "--slot")) want_slot = parse_slot_arg(argv[3]);
    /* `run --stream SPEC`: descriptors 3 and 4 (pipes) become the program's stdin and stdout. */
    bool stream = !serve && argc > 2 && !strcmp(argv[2], "--stream");
    if (stream) { argv++; argc--; }
    if ((strcmp(mode, "run") && !serve) || (serve && argc != 2 && want_slot < -1) || (!serve && argc > 3) || (stream && argc != 3)) {
        fprintf(stderr, "usage: polyjail run [SPEC] | polyjail run --stream SPEC | polyjail serve [--slot N|auto] | polyjail probe | polyjail tables\n");
        return 2;
    }
    /* Nothing of our parent's stays open here: its sockets (SwiftNIO's are not close-on-exec) would
     * otherwise live as long as this helper. stdin, stdout and stderr are the protocol's (and, with
     * --stream, descriptors 3 and 4). */
    if (syscall(SYS_close_range, stream ? 5 : 3, ~0U, 0) < 0) { perror("polyjail: close_range"); return 1; }
    if (stream && (stream_check(3, O_RDONLY) < 0 || stream_check(4, O_WRONLY) < 0)) return 2;
    if (stream && supervise_stop_on_sigterm() < 0) { perror("polyjail: sigaction(SIGTERM)"); return 1; }
    if (geteuid() != 0) {
        fprintf(stderr, "polyjail: must run as root (it creates namespaces, mounts and cgroups); run polygrader as root\n");
        return 1;
    }
    struct helper h;
    memset(&h, 0, sizeof h);
    h.slot_lock_fd = -1;
    h.stream_in = stream ? 3 : -1; h.stream_out = stream ? 4 : -1;
    h.heap_lo = sbrk(0);
    if (h.heap_lo == (char *)-1) h.heap_lo = NULL;
    h.rd = calloc(1, sizeof *h.rd);
    if (!h.rd) { fprintf(stderr, "polyjail: out of memory\n"); return 1; }
    h.rd->fd = STDIN_FILENO;
    if (!serve && argc > 2) {
        h.rd->fd = open(argv[2], O_RDONLY | O_CLOEXEC);
        if (h.rd->fd < 0) { fprintf(stderr, "polyjail: open(%s): %s\n", argv[2], strerror(errno)); return 2; }
    }
    if (!serve) {
        int r = serve_one(&h, false);
        return r == 1 ? 0 : 2;
    }
    h.cache.template_max_age_ms = env_ms("POLYJAIL_TEMPLATE_MAX_AGE_MS", TEMPLATE_MAX_AGE_MS);
    h.cache.host_netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (h.cache.host_netns_fd < 0) { fprintf(stderr, "polyjail: open(/proc/self/ns/net): %s\n", strerror(errno)); return 1; }
    if (want_slot >= -1) {
        /* Owning the slot for the helper's life is what lets it keep a jail prepared. */
        struct jail tmp;
        memset(&tmp, 0, sizeof tmp);
        spec_defaults(&tmp.spec);
        tmp.spec.slot = want_slot;
        char err[JAIL_ERR_LEN];
        if (ensure_dirs(err, sizeof err) < 0) { fprintf(stderr, "polyjail: %s\n", err); return 1; }
        if (slot_acquire(&tmp) < 0) { fprintf(stderr, "polyjail: %s\n", tmp.error); return 1; }
        h.owns_slot = true; h.slot = tmp.slot; h.slot_lock_fd = tmp.slot_lock_fd;
    }
    int r;
    while ((r = serve_one(&h, true)) == 1) {}
    discard_ready(&h);
    char err[JAIL_ERR_LEN];
    for (int i = 0; i < h.cache.ndying; i++)
        if (prepared_finish(h.cache.dying[i], err, sizeof err) < 0) fprintf(stderr, "polyjail: tearing down a jail: %s\n", err);
    remove_slot_cgroups(&h);
    return r == 0 ? 0 : 1;
}
