/* inside.c: pid 1 of the run's namespaces, and the program child it forks.
 * pid 1 (root, our code) builds the filesystem, forks the program, reaps everything that
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
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <poll.h>
#include <seccomp.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* execve along the jail's PATH (glibc's execvpe would read polyjail's own environment). */
static void exec_program(const struct spec *s) {
    const char *file = s->argv[0];
    if (strchr(file, '/')) { execve(file, s->argv, s->env); return; }
    const char *path = "/usr/local/bin:/usr/bin:/bin";
    for (int i = 0; i < s->envc; i++)
        if (!strncmp(s->env[i], "PATH=", 5)) path = s->env[i] + 5;
    int first_errno = ENOENT;
    for (const char *p = path; *p;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        char full[4096];
        if (len > 0 && len + strlen(file) + 2 < sizeof full) {
            memcpy(full, p, len);
            full[len] = '/';
            strcpy(full + len + 1, file);
            execve(full, s->argv, s->env);
            if (errno != ENOENT && errno != ENOTDIR) first_errno = errno;
        }
        p = colon ? colon + 1 : p + len;
    }
    errno = first_errno;
}

/* Under RLIMIT_AS an executable whose loadable segments exceed the limit would die by SIGSEGV
 * inside execve; report it as ENOMEM (MLE) instead of running it (schemas.md §6.1). */
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

/* The program child: a checklist, each step checked, ending in execve. */
static void program_child(struct jail *j, int exec_fd, int in_fd, int out_fd, int err_fd, int note_fd, int ack_fd) __attribute__((noreturn));
static void program_child(struct jail *j, int exec_fd, int in_fd, int out_fd, int err_fd, int note_fd, int ack_fd) {
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0 || signal(SIGUSR1, SIG_DFL) == SIG_ERR || signal(SIGPIPE, SIG_DFL) == SIG_ERR)
        die_child(exec_fd, "resetting signals: %s", strerror(errno));
    /* New session, no controlling terminal: no TIOCSTI into anyone's shell. */
    if (setsid() < 0) die_child(exec_fd, "setsid: %s", strerror(errno));
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) die_child(exec_fd, "dup2: %s", strerror(errno));
    if (dup2(exec_fd, 3) < 0) die_child(exec_fd, "dup2(exec fd): %s", strerror(errno));
    exec_fd = 3;
    bool strict = j->spec.policy == POLICY_STRICT;
    if (strict && (dup2(note_fd, 4) < 0 || dup2(ack_fd, 5) < 0)) die_child(exec_fd, "dup2(notify fds): %s", strerror(errno));
    for (int fd = 3; fd <= (strict ? 5 : 3); fd++)
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) die_child(exec_fd, "fcntl: %s", strerror(errno));
    /* Nothing of ours leaks into the program: every other descriptor is closed. */
    if (syscall(SYS_close_range, strict ? 6 : 4, ~0U, 0) < 0) die_child(exec_fd, "close_range: %s", strerror(errno));
    if (chdir("/box") < 0) die_child(exec_fd, "chdir /box: %s", strerror(errno));
    if (rlimits_apply(&j->spec) < 0) die_child(exec_fd, "setrlimit: %s", strerror(errno));
    if (credentials_drop(j->uid, j->gid) < 0) die_child(exec_fd, "dropping to uid %u: %s", (unsigned)j->uid, strerror(errno));
    /* Last before exec: the filter also constrains everything above if it came first. */
    int listener = filter_load(&j->filter, strict);
    if (listener < 0) die_child(exec_fd, "seccomp(SECCOMP_SET_MODE_FILTER): %s", strerror(errno));
    if (strict) {
        /* Hand the listener to pid 1 (it copies it with pidfd_getfd), wait until it has it. */
        char ack;
        if (write(4, &listener, sizeof listener) != sizeof listener || read(5, &ack, 1) != 1) _exit(127);
        close(listener); close(4); close(5);
    }
    if (j->spec.rlimit_as && strchr(j->spec.argv[0], '/') && elf_too_large(j->spec.argv[0], j->spec.memory)) errno = ENOMEM;
    else exec_program(&j->spec);
    char msg[1 + sizeof(int)];
    int e = errno;
    msg[0] = 'X';
    memcpy(msg + 1, &e, sizeof e);
    (void)write_all(exec_fd, msg, sizeof msg);
    _exit(127);
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

/* strict policy: the program's forbidden syscall arrives here as a user notification. The
 * syscall never runs: we record its number and kill every process of the run (SV). The
 * listener stays open until no process of the run is left: closed early, the kernel would
 * answer a surviving daemon's forbidden syscalls with ENOSYS instead of stopping it. */
static void watch_notifications(struct inside_report *r, pid_t prog, int note_fd, int ack_fd, bool *killed_all) {
    int child_fd = -1;
    int pidfd = (int)syscall(SYS_pidfd_open, prog, 0);
    if (pidfd < 0) {
        snprintf(r->error, sizeof r->error, "pidfd_open(program): %s", strerror(errno));
        (void)kill(prog, SIGKILL);
        return;
    }
    if (read(note_fd, &child_fd, sizeof child_fd) != sizeof child_fd) { close(pidfd); return; } /* it died before exec */
    int listener = (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
    if (listener < 0) {
        snprintf(r->error, sizeof r->error, "pidfd_getfd(seccomp listener): %s", strerror(errno));
        (void)kill(prog, SIGKILL);
    }
    if (write(ack_fd, "k", 1) != 1 && listener >= 0) {
        snprintf(r->error, sizeof r->error, "write(ack pipe): %s", strerror(errno));
        (void)kill(prog, SIGKILL);
    }
    struct seccomp_notif *req = NULL;
    struct seccomp_notif_resp *resp = NULL;
    if (listener >= 0 && seccomp_notify_alloc(&req, &resp) != 0) {
        snprintf(r->error, sizeof r->error, "seccomp_notify_alloc failed");
        close(listener); listener = -1;
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
            close(listener); listener = -1; /* no process holds the filter any more */
        }
        alive = reap_ready(r, prog, killed_all, false);
    }
    if (req) seccomp_notify_free(req, resp);
    if (listener >= 0) close(listener);
    close(pidfd);
}

static void report_and_exit(int report_fd, struct inside_report *r) {
    (void)write_all(report_fd, r, sizeof *r);
    _exit(0);
}

int inside_main(struct jail *j, int sync_fd, int report_fd, int exec_fd, int in_fd, int out_fd, int err_fd,
                int box_from_fd, int collect_fd) {
    struct inside_report r;
    memset(&r, 0, sizeof r);
    r.seccomp_syscall = -1;
    /* A crash of the supervisor ends the run. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) { snprintf(r.error, sizeof r.error, "prctl(PR_SET_PDEATHSIG): %s", strerror(errno)); report_and_exit(report_fd, &r); }
    char go;
    if (read(sync_fd, &go, 1) != 1) _exit(1); /* the supervisor died before entering us in the cgroup */
    close(sync_fd);
    /* Still the host's /proc here: pid 1 leaves the OOM killer only the program's processes. */
    struct oom_adj oom;
    if (oom_exempt_self(&oom) < 0) { snprintf(r.error, sizeof r.error, "/proc/self/oom_score_adj of pid 1: %s", strerror(errno)); report_and_exit(report_fd, &r); }
    if (unshare(CLONE_NEWCGROUP) < 0) { snprintf(r.error, sizeof r.error, "unshare(CLONE_NEWCGROUP): %s", strerror(errno)); report_and_exit(report_fd, &r); }
    struct sigaction sa = {0};
    sa.sa_handler = on_kill_request; /* no SA_RESTART: the request interrupts waitpid */
    if (sigaction(SIGUSR1, &sa, NULL) < 0) { snprintf(r.error, sizeof r.error, "sigaction(SIGUSR1): %s", strerror(errno)); report_and_exit(report_fd, &r); }
    if (sethostname("polygrader", 10) < 0) { snprintf(r.error, sizeof r.error, "sethostname: %s", strerror(errno)); report_and_exit(report_fd, &r); }
    int rc = mounts_build_root(j, box_from_fd, r.error, sizeof r.error);
    if (rc == -2) { r.ok = 2; report_and_exit(report_fd, &r); } /* inputs larger than the box: the run's verdict, not ours */
    if (rc < 0) report_and_exit(report_fd, &r);
    if (box_from_fd >= 0) close(box_from_fd);
    if (j->spec.loopback && loopback_up() < 0) { snprintf(r.error, sizeof r.error, "bringing up lo: %s", strerror(errno)); report_and_exit(report_fd, &r); }

    int note[2] = {-1, -1}, ack[2] = {-1, -1};
    bool strict = j->spec.policy == POLICY_STRICT;
    if (strict && (pipe2(note, O_CLOEXEC) < 0 || pipe2(ack, O_CLOEXEC) < 0)) {
        snprintf(r.error, sizeof r.error, "pipe2: %s", strerror(errno)); report_and_exit(report_fd, &r);
    }
    if (oom_write(&oom, "1000") < 0) { snprintf(r.error, sizeof r.error, "write(oom_score_adj, 1000): %s", strerror(errno)); report_and_exit(report_fd, &r); }
    pid_t prog = fork();
    if (prog == 0) program_child(j, exec_fd, in_fd, out_fd, err_fd, note[1], ack[0]);
    int fork_errno = errno;
    /* Exempt again before anything else: the program may already be allocating. */
    if (oom_write(&oom, oom.base) < 0) {
        snprintf(r.error, sizeof r.error, "write(oom_score_adj, %s): %s", oom.base, strerror(errno));
        if (prog > 0) (void)kill(prog, SIGKILL);
        report_and_exit(report_fd, &r);
    }
    close(oom.fd);
    if (prog < 0) { snprintf(r.error, sizeof r.error, "fork: %s", strerror(fork_errno)); report_and_exit(report_fd, &r); }
    close(exec_fd); close(in_fd); close(out_fd); close(err_fd);
    bool killed_all = false;
    if (strict) {
        close(note[1]); close(ack[0]);
        watch_notifications(&r, prog, note[0], ack[1], &killed_all);
        close(note[0]); close(ack[1]);
    }

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
    report_and_exit(report_fd, &r);
    _exit(0);
}
