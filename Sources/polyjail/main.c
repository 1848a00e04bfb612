/* polyjail: the jail helper of polygrader, the only C in the repository.
 *
 * Theory of operation
 * -------------------
 * polygrader (Swift, root, multi-threaded) never forks. It posix_spawns this small
 * single-threaded program, which runs as root:
 *
 *   polyjail (supervisor, host namespaces)
 *     reads the run spec (spec.c), takes the slot lock (uid uid_base+slot, never a host user), compiles the seccomp
 *     filter (seccomp.c), creates the run's cgroup (cgroup*.c), then clone()s:
 *     └─ pid 1 (new pid, mount, net, ipc, uts, cgroup namespaces; root; inside.c)
 *          waits on the sync pipe until the supervisor has put it in the cgroup, builds the
 *          tmpfs root with read-only binds, /box, /tmp, /dev, /proc, pivot_root (mounts.c),
 *          fills /box from a directory fd, forks:
 *          └─ the program: setsid, std fds, rlimits, setgroups/setresgid/setresuid to the
 *               slot uid with the bounding set dropped and no_new_privs, seccomp, execve.
 *   The supervisor polls the program's stdout/stderr pipes (caps: OLE), cgroup CPU (TLE),
 *   the wall clock from exec (a close-on-exec pipe tells it when exec happened). To stop a
 *   run it asks pid 1 (SIGUSR1), which kills every process of the namespace, reaps them,
 *   copies the requested outputs out with no-follow opens, and reports down a pipe; if it
 *   does not, the supervisor kills pid 1 and the kernel kills the whole namespace.
 *   The supervisor writes one JSON record (result.c) on stdout and removes the cgroup.
 *
 * Pipes: sync (supervisor → pid 1: "in the cgroup, go"), exec (program → supervisor: EOF on
 * exec, or an error), report (pid 1 → supervisor: struct inside_report), stdout, stderr.
 *
 * Usage: polyjail run [SPEC]   one run; the spec from a file or stdin, the record on stdout
 *        polyjail serve        runs spec after spec from stdin ("end" line), a record each
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
#include <sys/file.h>
#include <sys/stat.h>
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
static int slot_acquire(struct jail *j) {
    char path[128];
    int first = j->spec.slot >= 0 ? j->spec.slot : 0, last = j->spec.slot >= 0 ? j->spec.slot : MAX_SLOTS - 1;
    for (int pass = 0; pass < 2; pass++) {
        for (int slot = first; slot <= last; slot++) {
            snprintf(path, sizeof path, RUN_DIR "/slots/%d.lock", slot);
            int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (fd < 0) { jail_fail(j, "open(%s): %s", path, strerror(errno)); return -1; }
            /* Fixed slot: wait for it. Auto: first free one; on a second pass, wait on the first. */
            int op = (j->spec.slot >= 0 || pass == 1) ? LOCK_EX : LOCK_EX | LOCK_NB;
            if (flock(fd, op) == 0) {
                j->slot = slot; j->uid = (uid_t)(j->spec.uid_base + (unsigned)slot); j->gid = (gid_t)j->uid; j->slot_lock_fd = fd;
                return 0;
            }
            close(fd);
            if (errno != EWOULDBLOCK) { jail_fail(j, "flock(%s): %s", path, strerror(errno)); return -1; }
            if (pass == 1) break;
        }
    }
    jail_fail(j, "no free slot");
    return -1;
}

/* serve mode: one empty network namespace for this process, renewed every NETNS_RUNS runs.
 * A new namespace per run costs ~1 ms (its teardown runs after the run); all processes of a
 * run are dead before the next starts, so only counters could carry information across runs,
 * hence the renewal. Runs that ask for loopback still get a namespace of their own. */
#define NETNS_RUNS 64
static void serve_netns(struct serve_cache *c) {
    if (c->shared_netns && c->runs_in_netns < NETNS_RUNS) return;
    if (c->shared_netns && setns(c->host_netns_fd, CLONE_NEWNET) < 0) { c->shared_netns = false; return; }
    c->shared_netns = unshare(CLONE_NEWNET) == 0;
    c->runs_in_netns = 0;
}

static int run_one(struct reader *rd, bool serve, struct serve_cache *cache) {
    struct jail j;
    memset(&j, 0, sizeof j);
    j.cache = cache;
    if (cache) { serve_netns(cache); cache->runs_in_netns++; }
    j.slot_lock_fd = -1;
    j.cg.cpu_fd = -1;
    char err[JAIL_ERR_LEN];
    int r = spec_read(&j.spec, rd, err, sizeof err);
    if (r == 0) return 0;
    if (r < 0) {
        if (!serve) { fprintf(stderr, "polyjail: bad spec: %s\n", err); return -2; }
        jail_fail(&j, "bad spec: %s", err);
        j.spec.argc = 0;
    }
    if (!j.error[0] && ensure_dirs(err, sizeof err) < 0) jail_fail(&j, "%s", err);
    if (!j.error[0]) slot_acquire(&j);
    if (!j.error[0]) slot_ids_check(&j);
    supervise_run(&j, STDOUT_FILENO);
    if (j.slot_lock_fd >= 0) close(j.slot_lock_fd);
    free(j.filter.filter);
    spec_free(&j.spec);
    return 1;
}

int main(int argc, char **argv) {
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) { perror("polyjail: signal(SIGPIPE)"); return 1; }
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "probe")) return probe_print(STDOUT_FILENO) < 0 ? 1 : 0;
    if (!strcmp(mode, "tables")) return tables_print(STDOUT_FILENO) < 0 ? 1 : 0;
    if (strcmp(mode, "run") && strcmp(mode, "serve")) {
        fprintf(stderr, "usage: polyjail run [SPEC] | polyjail serve | polyjail probe | polyjail tables\n");
        return 2;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "polyjail: must run as root (it creates namespaces, mounts and cgroups); run polygrader as root\n");
        return 1;
    }
    struct reader *rd = calloc(1, sizeof *rd);
    if (!rd) { perror("polyjail: calloc"); return 1; }
    rd->fd = STDIN_FILENO;
    if (!strcmp(mode, "run") && argc > 2) {
        rd->fd = open(argv[2], O_RDONLY | O_CLOEXEC);
        if (rd->fd < 0) { fprintf(stderr, "polyjail: open(%s): %s\n", argv[2], strerror(errno)); return 2; }
    }
    if (!strcmp(mode, "run")) {
        int r = run_one(rd, false, NULL);
        return r == -2 ? 2 : r == 1 ? 0 : 2;
    }
    struct serve_cache cache = {.host_netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)};
    if (cache.host_netns_fd < 0) { fprintf(stderr, "polyjail: open(/proc/self/ns/net): %s\n", strerror(errno)); return 1; }
    for (;;) {
        int r = run_one(rd, true, &cache);
        if (r == 0) return 0;
    }
}
