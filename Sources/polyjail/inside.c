/* inside.c: pid 1 of the jail's namespaces, and the program child it forks.
 * pid 1 (root, our code) builds the filesystem and forks the program child while the jail is
 * prepared; the child does everything that does not depend on the request (session, standard
 * descriptors, uid drop, seccomp) and then blocks on a pipe. When the request comes, pid 1
 * sizes and fills /box and /tmp, fills stdin and hands the child its rlimits, argv and env:
 * the child lowers its limits and its next step is execve. pid 1 then reaps everything that
 * gets reparented to it, kills what is left when the program ends or the supervisor asks,
 * copies the requested outputs out with no-follow rules, and reports over a pipe. When it
 * exits the kernel kills every process of the namespace: nothing outlives a run. */
#include "jail.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <poll.h>
#include <seccomp.h>
#include <sys/wait.h>
#include <unistd.h>

static cpu_set_t run_cpus; /* pid 1's CPUs as cloned; it prepares on the others than the supervisor's */
static volatile sig_atomic_t kill_requested; /* set by SIGUSR1 from the supervisor: flag only */

static void on_kill_request(int sig) { (void)sig; kill_requested = 1; }

/* `network: loopback` gives the run a working lo, private to its namespace. */
static int loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
    if (rc == 0) { ifr.ifr_flags |= IFF_UP | IFF_RUNNING; rc = ioctl(s, SIOCSIFFLAGS, &ifr); }
    close(s);
    return rc;
}

/* execve along the jail's PATH (glibc's execvpe would read polyjail's own environment). Only
 * execve is called: under the strict filter it is all the child may still do. */
static void exec_program(char *const *argv, char *const *env) {
    const char *file = argv[0];
    if (strchr(file, '/')) { execve(file, argv, env); return; }
    const char *path = "/usr/local/bin:/usr/bin:/bin";
    for (int i = 0; env[i]; i++)
        if (!strncmp(env[i], "PATH=", 5)) path = env[i] + 5;
    int first_errno = ENOENT;
    for (const char *p = path; *p;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        char full[4096];
        if (len > 0 && len + strlen(file) + 2 < sizeof full) {
            memcpy(full, p, len);
            full[len] = '/';
            strcpy(full + len + 1, file);
            execve(full, argv, env);
            if (errno != ENOENT && errno != ENOTDIR) first_errno = errno;
        }
        p = colon ? colon + 1 : p + len;
    }
    errno = first_errno;
}

/* Under RLIMIT_AS an executable whose loadable segments exceed the limit would die by SIGSEGV
 * inside execve; report it as ENOMEM (MLE) instead of running it (docs/reference/results.md, "Verdicts"). */
static bool elf_too_large(const char *path, uint64_t limit) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return false;
    Elf64_Ehdr eh;
    bool big = false;
    if (pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
        eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof(Elf64_Phdr) && eh.e_phnum < 256) {
        uint64_t total = 0;
        for (int i = 0; i < eh.e_phnum; i++) {
            Elf64_Phdr ph;
            if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (uint64_t)i * sizeof ph)) != (ssize_t)sizeof ph) break;
            if (ph.p_type == PT_LOAD) total += ph.p_memsz;
        }
        big = total > limit;
    }
    close(fd);
    return big;
}

/* The OOM killer picks by memory use, and files in /box and /tmp are charged to the run but
 * belong to no process: it could pick pid 1 and turn the learner's MLE into our IE. pid 1
 * holds -1000 (exempt, also from a v2 memory.oom.group kill) except across the fork of the
 * program, which so inherits 1000: its preferred victim, and, set by a privileged writer, its
 * floor too (the program cannot lower it). Done through pid 1's own file, opened while the
 * host's /proc is still there, so it works whatever /proc the profile mounts. Lowering needs
 * CAP_SYS_RESOURCE, which some containers drop: pid 1 then keeps the value it had, the program
 * still outranks it by the whole memory limit, and an OOM kill is still MLE (result.c). */
struct oom_adj { int fd; char base[16]; };

static int oom_write(const struct oom_adj *o, const char *value) {
    return pwrite(o->fd, value, strlen(value), 0) == (ssize_t)strlen(value) ? 0 : -1;
}

static int oom_exempt_self(struct oom_adj *o) {
    o->fd = open("/proc/self/oom_score_adj", O_RDWR | O_CLOEXEC);
    if (o->fd < 0) return -1;
    ssize_t n = pread(o->fd, o->base, sizeof o->base - 1, 0);
    if (n <= 0) return -1;
    o->base[n] = 0;
    o->base[strcspn(o->base, "\n")] = 0;
    if (oom_write(o, "-1000") == 0) { strcpy(o->base, "-1000"); return 0; }
    return errno == EACCES ? 0 : -1; /* no CAP_SYS_RESOURCE: keep the current value */
}

/* Reaps every child that has ended. The program's end kills everything left in the run at
 * once (a daemon dies with the run); once everything was killed, each further reap kills
 * again, for a fork that raced the first kill. Returns false when no child is left. */
static bool reap_ready(struct inside_report *r, pid_t prog, bool *killed_all, bool block) {
    for (;;) {
        int st;
        pid_t p = waitpid(-1, &st, __WALL | (block ? 0 : WNOHANG));
        if (p == 0) return true;
        if (p < 0) {
            if (errno == EINTR) return true;
            if (errno == ECHILD) return false;
            snprintf(r->error, sizeof r->error, "waitpid: %s", strerror(errno));
            return false;
        }
        if (p == prog && !r->program_reaped) { r->program_status = st; r->program_reaped = 1; }
        if (r->program_reaped || *killed_all) {
            if (kill(-1, SIGKILL) < 0 && errno != ESRCH) {
                snprintf(r->error, sizeof r->error, "kill(-1, SIGKILL): %s", strerror(errno));
                return false;
            }
            *killed_all = true;
        }
        if (block) return true;
    }
}

/* What pid 1 hands the waiting child at the request: argv and env as NUL-terminated strings. */
struct go_header { uint32_t forced_errno, argc, envc, bytes, nlimits; struct rlimit_entry limits[RLIMITS_MAX]; };
static char go_blob[JAIL_MAX_SPEC_BYTES];

void go_warm(void) { ((volatile char *)go_blob)[0] = ((volatile char *)go_blob)[0]; }
static char *go_argv[JAIL_MAX_ARGS + 1], *go_env[JAIL_MAX_ARGS + 1];

/* read(2) only: after the strict filter the child may read, write, close, prlimit64 on itself,
 * execve and exit. */
static int read_exact(int fd, void *buf, size_t n) {
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r; n -= (size_t)r;
    }
    return 0;
}

static void exec_failed(int exec_fd, int e) __attribute__((noreturn));
static void exec_failed(int exec_fd, int e) {
    char msg[1 + sizeof(int)];
    msg[0] = 'X';
    memcpy(msg + 1, &e, sizeof e);
    (void)write_all(exec_fd, msg, sizeof msg); /* the supervisor reads it; nothing else to do */
    _exit(127);
}

/* The program child, prepared: a checklist, each step checked, ending in a blocking read of the
 * request's argv and env, then execve. Descriptors: 0 stdin (pid 1 fills the memfd), 1 and 2
 * the output pipes, 3 exec (close-on-exec: EOF tells the supervisor the program runs), 4 the go
 * pipe, 5 and 6 the listener hand-over (strict). */
static void program_child(struct jail *j, int exec_fd, int in_fd, int out_fd, int err_fd, int go_fd, int note_fd, int ack_fd) __attribute__((noreturn));
static void program_child(struct jail *j, int exec_fd, int in_fd, int out_fd, int err_fd, int go_fd, int note_fd, int ack_fd) {
    sigset_t none;
    if (sigemptyset(&none) < 0 || sigprocmask(SIG_SETMASK, &none, NULL) < 0) die_child(exec_fd, "sigprocmask: %s", strerror(errno));
    if (signal(SIGUSR1, SIG_DFL) == SIG_ERR || signal(SIGPIPE, SIG_DFL) == SIG_ERR) die_child(exec_fd, "signal: %s", strerror(errno));
    /* New session, no controlling terminal: no TIOCSTI into anyone's shell. */
    if (setsid() < 0) die_child(exec_fd, "setsid: %s", strerror(errno));
    /* Move the descriptors above 6 first, so that no dup2 below overwrites one still needed. */
    int src[] = {in_fd, out_fd, err_fd, exec_fd, go_fd, note_fd, ack_fd};
    bool strict = j->spec.policy == POLICY_STRICT;
    int n = strict ? 7 : 5;
    for (int i = 0; i < n; i++) {
        src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 16);
        if (src[i] < 0) die_child(exec_fd, "fcntl(F_DUPFD_CLOEXEC): %s", strerror(errno));
    }
    for (int i = 0; i < n; i++) if (dup2(src[i], i) < 0) die_child(exec_fd, "dup2: %s", strerror(errno));
    exec_fd = 3;
    for (int fd = 3; fd < n; fd++)
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) die_child(exec_fd, "fcntl(FD_CLOEXEC): %s", strerror(errno));
    /* Nothing of ours leaks into the program: every other descriptor is closed. */
    if (syscall(SYS_close_range, (unsigned)n, ~0U, 0) < 0) die_child(exec_fd, "close_range: %s", strerror(errno));
    if (sched_setaffinity(0, sizeof run_cpus, &run_cpus) < 0) die_child(exec_fd, "sched_setaffinity: %s", strerror(errno));
    if (chdir("/box") < 0) die_child(exec_fd, "chdir /box: %s", strerror(errno));
    if (credentials_drop(j->uid, j->gid) < 0) die_child(exec_fd, "dropping to uid %u: %s", (unsigned)j->uid, strerror(errno));
    /* Last before exec: the filter also constrains everything above if it came first. */
    int listener = filter_load(&j->filter, strict);
    if (listener < 0) die_child(exec_fd, "seccomp(SECCOMP_SET_MODE_FILTER): %s", strerror(errno));
    if (strict) {
        /* Hand the listener to pid 1 (it copies it with pidfd_getfd), wait until it has it. */
        char ack;
        if (write(5, &listener, sizeof listener) != sizeof listener || read(6, &ack, 1) != 1) _exit(127);
        if (close(listener) < 0 || close(5) < 0 || close(6) < 0) _exit(127);
    }
    /* The buffers the request fills, written once now: their page faults happen while prepared. */
    memset(go_blob, 0, 4096);
    go_argv[0] = go_env[0] = NULL;
    /* Prepared. The request: argv and env (or an errno to report instead of running). */
    struct go_header h;
    if (read_exact(4, &h, sizeof h) < 0) _exit(0); /* the jail was discarded unused */
    if (h.forced_errno) exec_failed(exec_fd, (int)h.forced_errno);
    /* Lowering only (hard = soft); the strict filter allows prlimit64 on the caller itself. */
    if (h.nlimits > RLIMITS_MAX || rlimits_apply_self(h.limits, (int)h.nlimits) < 0) exec_failed(exec_fd, errno ? errno : EINVAL);
    if (h.argc == 0 || h.argc > JAIL_MAX_ARGS || h.envc > JAIL_MAX_ARGS || h.bytes > sizeof go_blob || read_exact(4, go_blob, h.bytes) < 0)
        exec_failed(exec_fd, EINVAL);
    char *p = go_blob, *end = go_blob + h.bytes;
    for (uint32_t i = 0; i < h.argc + h.envc; i++) {
        char *z = memchr(p, 0, (size_t)(end - p));
        if (!z) exec_failed(exec_fd, EINVAL);
        if (i < h.argc) go_argv[i] = p; else go_env[i - h.argc] = p;
        p = z + 1;
    }
    go_argv[h.argc] = NULL;
    go_env[h.envc] = NULL;
    exec_program(go_argv, go_env);
    exec_failed(exec_fd, errno);
}

/* strict policy, while preparing: takes the child's seccomp listener (pidfd_getfd) and lets
 * the child go on. Returns the listener, or -1 with r->error set. */
static int listener_take(struct inside_report *r, pid_t prog, int note_fd, int ack_fd) {
    int child_fd = -1;
    int pidfd = (int)syscall(SYS_pidfd_open, prog, 0);
    if (pidfd < 0) { snprintf(r->error, sizeof r->error, "pidfd_open(program): %s", strerror(errno)); return -1; }
    if (read(note_fd, &child_fd, sizeof child_fd) != sizeof child_fd) {
        snprintf(r->error, sizeof r->error, "the program child ended before handing over its seccomp listener");
        (void)close(pidfd);
        return -1;
    }
    int listener = (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
    int saved = errno;
    (void)close(pidfd); /* a pidfd only names the process; nothing is lost at close */
    if (listener < 0) { snprintf(r->error, sizeof r->error, "pidfd_getfd(seccomp listener): %s", strerror(saved)); return -1; }
    if (write(ack_fd, "k", 1) != 1) { snprintf(r->error, sizeof r->error, "write(ack): %s", strerror(errno)); (void)close(listener); return -1; }
    return listener;
}

/* strict policy, while the program runs: a forbidden syscall arrives as a user notification.
 * The syscall never runs: we record its number and kill every process of the run (SV). The
 * listener stays open until no process of the run is left: closed early, the kernel would
 * answer a surviving daemon's forbidden syscalls with ENOSYS instead of stopping it. */
static void watch_notifications(struct inside_report *r, pid_t prog, int listener, bool *killed_all) {
    int pidfd = (int)syscall(SYS_pidfd_open, prog, 0);
    if (pidfd < 0) {
        snprintf(r->error, sizeof r->error, "pidfd_open(program): %s", strerror(errno));
        (void)kill(prog, SIGKILL);
        (void)close(listener);
        return;
    }
    struct seccomp_notif *req = NULL;
    struct seccomp_notif_resp *resp = NULL;
    if (seccomp_notify_alloc(&req, &resp) != 0) {
        snprintf(r->error, sizeof r->error, "seccomp_notify_alloc failed");
        (void)close(listener); listener = -1;
        (void)kill(prog, SIGKILL);
    }
    for (bool alive = true; alive;) {
        if (kill_requested && !*killed_all) { (void)kill(-1, SIGKILL); *killed_all = true; }
        struct pollfd fds[2] = {{.fd = listener, .events = POLLIN}, {.fd = r->program_reaped ? -1 : pidfd, .events = POLLIN}};
        /* Until the program ends its pidfd wakes us; afterwards everything left has been
         * killed and dies within moments, so a short poll reaps it. */
        int n = poll(fds, 2, r->program_reaped ? 10 : -1);
        if (n < 0 && errno != EINTR) { snprintf(r->error, sizeof r->error, "poll: %s", strerror(errno)); break; }
        if (n > 0 && (fds[0].revents & POLLIN)) {
            memset(req, 0, sizeof *req);
            if (seccomp_notify_receive(listener, req) == 0) {
                if (r->seccomp_syscall < 0) r->seccomp_syscall = req->data.nr;
                (void)kill(-1, SIGKILL);
                *killed_all = true;
            }
        } else if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR))) {
            (void)close(listener); listener = -1; /* no process holds the filter any more */
        }
        alive = reap_ready(r, prog, killed_all, false);
    }
    if (req) seccomp_notify_free(req, resp);
    if (listener >= 0) (void)close(listener);
    (void)close(pidfd);
}

static void report_and_exit(int report_fd, struct inside_report *r) {
    (void)write_all(report_fd, r, sizeof *r); /* nothing to do if the supervisor is gone */
    _exit(0);
}

#define FAIL_REPORT(...) do { snprintf(r.error, sizeof r.error, __VA_ARGS__); report_and_exit(fds.report, &r); } while (0)

/* Tells the supervisor this jail is prepared: one byte, with the descriptors of the cgroup's CPU, peak
 * and OOM files (prepared_wait_ready), which pid 1 then closes: it reads none of them. */
static int send_ready(int ctl, struct cgroup_state *cg) {
    const int fdv[3] = {cg->cpu_fd, cg->peak_fd, cg->oom_fd};
    if (send_fds(ctl, "R", 1, fdv, cg->backend == CG_NONE ? 0 : 3) < 0) return -1;
    close_if(&cg->cpu_fd); close_if(&cg->peak_fd); close_if(&cg->oom_fd); /* read-only copies: nothing is lost */
    return 0;
}

/* Reads exactly n bytes (the request's spec and filter follow its header). */
static int read_full(int fd, void *buf, size_t n) {
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { if (r == 0) errno = EPIPE; return -1; }
        p += r; n -= (size_t)r;
    }
    return 0;
}

/* Waits for the one request this jail serves: the header with its descriptors (the box and the
 * collect directories, each when present), then the run's lines of the spec. Returns 0,
 * or -1 with r->error set, or 1 when the supervisor closed the socket (the jail is discarded). */
static int receive_request(struct jail *j, int ctl, int *box_fd, int *collect_fd, bool *go_sent, struct inside_report *r) {
    struct request_header h;
    int fdv[2], nfd, k = 0;
    ssize_t got = recv_fds(ctl, &h, sizeof h, MSG_WAITALL, fdv, 2, &nfd);
    if (got == 0) return 1;
    if (got < 0 && errno != EPROTO) { snprintf(r->error, sizeof r->error, "recvmsg(request): %s", strerror(errno)); return -1; }
    if (got > 0 && got != (ssize_t)sizeof h) { snprintf(r->error, sizeof r->error, "recvmsg(request): short header"); return -1; }
    int want = got < 0 ? -1 : (h.has_box ? 1 : 0) + (h.has_collect ? 1 : 0);
    /* A released child runs already: a box to fill then would race it. */
    if (got < 0 || h.magic != REQUEST_MAGIC || nfd != want || h.spec_len > JAIL_MAX_SPEC_BYTES || (h.go_sent && h.has_box)) {
        snprintf(r->error, sizeof r->error, "malformed request from the supervisor");
        return -1;
    }
    *box_fd = h.has_box ? fdv[k++] : -1;
    *collect_fd = h.has_collect ? fdv[k++] : -1;
    *go_sent = h.go_sent != 0;
    char *text = malloc(h.spec_len + 1);
    if (!text) { snprintf(r->error, sizeof r->error, "out of memory"); return -1; }
    if (read_full(ctl, text, h.spec_len) < 0) {
        snprintf(r->error, sizeof r->error, "reading the request: %s", strerror(errno));
        return -1;
    }
    /* The same text the supervisor parsed; parsing it again here keeps pid 1 free of pointers
     * from another address space. */
    struct reader rd = {.fd = -1, .mem = text, .mem_len = h.spec_len};
    char err[256];
    struct spec spec;
    if (spec_read(&spec, &rd, err, sizeof err) != 1) { snprintf(r->error, sizeof r->error, "request spec: %s", err); return -1; }
    j->spec = spec;  /* the preparation's spec is a copy of the supervisor's; it is simply dropped */
    free(text);
    return 0;
}

static void warm_up(const struct spec *s) {
    char *text = malloc(s->raw_len + 1);
    if (text) {
        struct reader rd = {.fd = -1, .mem = text, .mem_len = spec_run_lines(s, text)};
        struct spec tmp;
        char err[256];
        (void)spec_read(&tmp, &rd, err, sizeof err); /* the same text parsed fine in the supervisor */
        spec_free(&tmp);
        free(text);
    }
    memset(go_blob, 0, 4096);
}

/* Hands the waiting child argv and env (or an errno to report instead). */
int go_send(int go_fd, const struct spec *s, int forced_errno, char *err, size_t n) {
    struct go_header h = {.forced_errno = (uint32_t)forced_errno, .argc = (uint32_t)s->argc, .envc = (uint32_t)s->envc};
    h.nlimits = (uint32_t)rlimits_plan(s, h.limits);
    size_t bytes = 0;
    for (int i = 0; i < s->argc; i++) bytes += strlen(s->argv[i]) + 1;
    for (int i = 0; i < s->envc; i++) bytes += strlen(s->env[i]) + 1;
    if (bytes > sizeof go_blob) { snprintf(err, n, "argv and env are larger than %zu bytes", sizeof go_blob); return -1; }
    h.bytes = (uint32_t)bytes;
    char *p = go_blob; /* pid 1's own copy of the buffer the child reads into */
    for (int i = 0; i < s->argc; i++) { size_t l = strlen(s->argv[i]) + 1; memcpy(p, s->argv[i], l); p += l; }
    for (int i = 0; i < s->envc; i++) { size_t l = strlen(s->env[i]) + 1; memcpy(p, s->env[i], l); p += l; }
    if (write_all(go_fd, &h, sizeof h) < 0 || (!forced_errno && write_all(go_fd, go_blob, bytes) < 0)) {
        snprintf(err, n, "write(go pipe): %s", strerror(errno));
        return -1;
    }
    return 0;
}

void inside_main(struct jail *j, struct inside_fds fds) {
    struct inside_report r;
    memset(&r, 0, sizeof r);
    r.seccomp_syscall = -1;
    /* A crash of the supervisor ends the jail, prepared or running. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) FAIL_REPORT("prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
    bool moved = false;
    if (sched_getaffinity(0, sizeof run_cpus, &run_cpus) < 0) FAIL_REPORT("sched_getaffinity: %s", strerror(errno));
    if (j->helper_cpu >= 0 && CPU_ISSET(j->helper_cpu, &run_cpus) && CPU_COUNT(&run_cpus) > 1) {
        cpu_set_t others = run_cpus;
        CPU_CLR(j->helper_cpu, &others);
        if (sched_setaffinity(0, sizeof others, &others) < 0) FAIL_REPORT("sched_setaffinity: %s", strerror(errno));
        moved = true;
    }
    int keep[] = {fds.ctl, fds.report, fds.exec, fds.out, fds.err, fds.stdin_mfd, fds.go_r, fds.go_w, j->template_fd};
    const int nkeep = sizeof keep / sizeof keep[0] - (j->template_fd < 0 ? 1 : 0);
    for (int a = 0; a < nkeep; a++) for (int b = a + 1; b < nkeep; b++) if (keep[b] < keep[a]) { int t = keep[a]; keep[a] = keep[b]; keep[b] = t; }
    if (close_all_but(keep, nkeep) < 0) FAIL_REPORT("close_range: %s", strerror(errno));
    /* The supervisor's own stdin and stdout carry the serve protocol: not ours to hold. */
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) FAIL_REPORT("/dev/null on 0-2: %s", strerror(errno));
    if (null > 2 && close(null) < 0) FAIL_REPORT("close: %s", strerror(errno));
    /* Its own cgroup, made here rather than by the supervisor (cgroup_name says why), with the limits of
     * the spec it is prepared from, then joined, so that its mounts and the box copy are charged to the run. */
    if (cgroup_make(&j->cg, r.error, sizeof r.error) < 0 || cgroup_set_limits(&j->cg, &j->spec, r.error, sizeof r.error) < 0 ||
        cgroup_join_self(&j->cg, r.error, sizeof r.error) < 0)
        report_and_exit(fds.report, &r);
    /* Still the host's /proc here: pid 1 leaves the OOM killer only the program's processes. */
    struct oom_adj oom;
    if (oom_exempt_self(&oom) < 0) FAIL_REPORT("/proc/self/oom_score_adj of pid 1: %s", strerror(errno));
    if (unshare(CLONE_NEWCGROUP) < 0) FAIL_REPORT("unshare(CLONE_NEWCGROUP): %s", strerror(errno));
    struct sigaction sa = {0};
    sa.sa_handler = on_kill_request; /* no SA_RESTART: the request interrupts waitpid */
    if (sigaction(SIGUSR1, &sa, NULL) < 0) FAIL_REPORT("sigaction(SIGUSR1): %s", strerror(errno));
    if (sethostname("polygrader", 10) < 0) FAIL_REPORT("sethostname: %s", strerror(errno));
    if ((j->template_fd >= 0 ? mounts_enter_template(j, j->template_fd, r.error, sizeof r.error) : mounts_build_root(j, r.error, sizeof r.error)) < 0)
        report_and_exit(fds.report, &r);
    if (j->spec.loopback && loopback_up() < 0) FAIL_REPORT("bringing up lo: %s", strerror(errno));

    /* The program child, prepared up to its execve. */
    int note[2] = {-1, -1}, ack[2] = {-1, -1};
    bool strict = j->spec.policy == POLICY_STRICT;
    if (strict && (pipe2(note, O_CLOEXEC) < 0 || pipe2(ack, O_CLOEXEC) < 0)) FAIL_REPORT("pipe2: %s", strerror(errno));
    if (oom_write(&oom, "1000") < 0) FAIL_REPORT("write(oom_score_adj, 1000): %s", strerror(errno));
    pid_t prog = fork();
    if (prog == 0) program_child(j, fds.exec, fds.stdin_mfd, fds.out, fds.err, fds.go_r, note[1], ack[0]);
    int fork_errno = errno;
    /* Exempt again at once. */
    if (oom_write(&oom, oom.base) < 0) {
        if (prog > 0) (void)kill(prog, SIGKILL);
        FAIL_REPORT("write(oom_score_adj, %s): %s", oom.base, strerror(errno));
    }
    (void)close(oom.fd); /* written with pwrite, each write checked */
    if (prog < 0) FAIL_REPORT("fork: %s", strerror(fork_errno));
    /* Our copies go: the supervisor sees EOF on exec and output pipes only from the program. */
    if (close(fds.exec) < 0 || close(fds.out) < 0 || close(fds.err) < 0 || close(fds.go_r) < 0 || close(fds.stdin_mfd) < 0 ||
        (strict && (close(note[1]) < 0 || close(ack[0]) < 0))) {
        kill(prog, SIGKILL);
        FAIL_REPORT("close: %s", strerror(errno));
    }
    int listener = -1;
    if (strict) {
        listener = listener_take(&r, prog, note[0], ack[1]);
        (void)close(note[0]); (void)close(ack[1]); /* our own pipes, both ends known; nothing to lose */
        if (listener < 0) { kill(prog, SIGKILL); report_and_exit(fds.report, &r); }
    }

    /* pid 1 shares its memory copy-on-write with the supervisor it was cloned from: its first write
     * to each page faults. Parsing its own spec's run lines once now, and writing the go buffer,
     * takes those faults while prepared instead of on the request's path. */
    warm_up(&j->spec);
    if (moved && sched_setaffinity(0, sizeof run_cpus, &run_cpus) < 0) { kill(prog, SIGKILL); FAIL_REPORT("sched_setaffinity: %s", strerror(errno)); }

    if (send_ready(fds.ctl, &j->cg) < 0) { kill(prog, SIGKILL); FAIL_REPORT("sendmsg(ready): %s", strerror(errno)); }

    /* Prepared: from here on, the request. */
    const struct tmpfs_sizes mounted = {j->spec.box_size, j->spec.box_inodes, j->spec.tmp_size, j->spec.tmp_inodes};
    int box_from_fd = -1, collect_fd = -1;
    bool go_sent = false;
    int got = receive_request(j, fds.ctl, &box_from_fd, &collect_fd, &go_sent, &r);
    if (got == 1) _exit(0); /* discarded unused: the kernel ends the child with the namespace */
    if (got < 0) { kill(prog, SIGKILL); report_and_exit(fds.report, &r); }
    /* With nothing to do in the box (no inputs, the sizes it was mounted with, no executable to
     * check) the supervisor has released the child itself, and pid 1 only watches and reaps. */
    if (!go_sent) {
        int rc = mounts_request(j, &mounted, box_from_fd, r.error, sizeof r.error);
        if (rc == -2) { r.ok = 2; kill(prog, SIGKILL); report_and_exit(fds.report, &r); } /* inputs larger than the box */
        if (rc < 0) { kill(prog, SIGKILL); report_and_exit(fds.report, &r); }
        if (box_from_fd >= 0 && close(box_from_fd) < 0) { kill(prog, SIGKILL); FAIL_REPORT("close(box): %s", strerror(errno)); }
        /* Under RLIMIT_AS an executable whose loadable segments exceed the limit would die by SIGSEGV
         * inside execve: report ENOMEM (MLE) instead. pid 1 reads the file, before any learner code ran. */
        int forced = 0;
        if (j->spec.rlimit_as && strchr(j->spec.argv[0], '/')) {
            char path[4096];
            snprintf(path, sizeof path, "%s%s", j->spec.argv[0][0] == '/' ? "" : "/box/", j->spec.argv[0]);
            if (elf_too_large(path, j->spec.memory)) forced = ENOMEM;
        }
        if (go_send(fds.go_w, &j->spec, forced, r.error, sizeof r.error) < 0) { kill(prog, SIGKILL); report_and_exit(fds.report, &r); }
    }
    if (close(fds.go_w) < 0) { kill(prog, SIGKILL); FAIL_REPORT("close(go pipe): %s", strerror(errno)); }
    bool killed_all = false;
    if (strict) watch_notifications(&r, prog, listener, &killed_all);

    /* Reap everything; when the program ends or the supervisor asks, kill what is left. */
    for (;;) {
        if (kill_requested && !killed_all) { (void)kill(-1, SIGKILL); killed_all = true; }
        if (!reap_ready(&r, prog, &killed_all, true)) break;
    }
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
        r.maxrss_kb = ru.ru_maxrss;
        r.utime_us = (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec;
        r.stime_us = (int64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
    }
    /* Collection happens when nothing else runs in the box: no race with the program. */
    if (collect_fd >= 0 && j->spec.ncollect > 0 && !r.error[0]) {
        int box = open("/box", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        uint64_t budget = j->spec.collect_max;
        for (int i = 0; box >= 0 && i < j->spec.ncollect; i++) {
            char err[256] = "";
            int c = safe_collect(box, j->spec.collect[i], collect_fd, &budget, err, sizeof err);
            if (c == -2) { r.collect_truncated = 1; break; }
            if (c < 0) { snprintf(r.error, sizeof r.error, "%s", err); break; }
        }
        if (box >= 0) close(box);
    }
    r.ok = r.error[0] ? 0 : 1;
    (void)write_all(fds.report, &r, sizeof r); /* nothing to do if the supervisor is gone */
    /* Nothing is left in the namespace (the last reap found no child). pid 1 exits when the
     * supervisor closes the socket after its record: the namespace teardown that the exit starts
     * then runs beside the next jail's preparation instead of ahead of the record. */
    char c;
    while (read(fds.ctl, &c, 1) < 0 && errno == EINTR) {}
    _exit(0);
}
