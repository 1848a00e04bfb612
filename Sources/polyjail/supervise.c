/* supervise.c: the root supervisor's side of one run on a prepared jail (prepared.c). It fills
 * the stdin memfd from the run's stdin file, opens the staging and collect directories, writes
 * the cgroup limits that changed, releases the program child when the box needs no work, hands
 * the request to pid 1, makes the output files, then polls: output pipes (capped, OLE), cgroup
 * CPU (TLE), the wall clock from exec (TLE, wall). It never touches a path inside the box: pid 1
 * does the box work. Result: the JSON record (result.c). Everything before the request is sent
 * is on the run's critical path, so what can wait (the output files) waits. */
#include "jail.h"
#include "result.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define POLL_MS 10
#define KILL_GRACE_MS 2000

/* `run --stream`: SIGTERM from the caller stops the run like a limit would (pid 1 kills everything,
 * reports, the cgroup is removed), so that a service can be ended without leaving anything behind. */
static volatile sig_atomic_t stop_requested;
static void on_stop(int sig) { (void)sig; stop_requested = 1; }

int supervise_stop_on_sigterm(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_stop; /* no SA_RESTART: poll returns at once */
    return sigaction(SIGTERM, &sa, NULL);
}

struct stream { int pipe_fd, file_fd; uint64_t cap, bytes; bool truncated, over; int write_errno; };

/* Reads what is there; keeps the first `cap` bytes; the first byte past the cap is OLE. */
static void drain(struct stream *s) {
    char buf[65536];
    for (;;) {
        ssize_t r = read(s->pipe_fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return; /* EAGAIN */
        if (r == 0) { close(s->pipe_fd); s->pipe_fd = -1; return; }
        uint64_t keep = s->bytes >= s->cap ? 0 : s->cap - s->bytes;
        if ((uint64_t)r < keep) keep = (uint64_t)r;
        if (keep && s->file_fd >= 0 && !s->write_errno && write_all(s->file_fd, buf, keep) < 0) s->write_errno = errno;
        s->bytes += (uint64_t)r;
        if (s->bytes > s->cap) { s->truncated = true; s->over = true; }
    }
}

static int open_out(struct jail *j, const char *path) {
    if (!path) return -1;
    /* Our own private directory, but still O_EXCL|O_NOFOLLOW: never write through a link. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) jail_fail(j, "open(%s, O_CREAT|O_EXCL|O_NOFOLLOW): %s", path, strerror(errno));
    return fd;
}

/* The program's stdin: the request's file (ours, opened no-follow) copied into the jail's memfd
 * with pwrite (the child shares the descriptor and its offset, which stays 0), then sealed: the
 * program reads its input, cannot change it, and /proc/self/fd/0 names only "memfd:stdin".
 * Without a file it stays empty (reads as /dev/null). */
static int fill_stdin(struct jail *j, int memfd, const char *path) {
    if (path) {
        int src = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (src < 0) { jail_fail(j, "open(stdin %s): %s", path, strerror(errno)); return -1; }
        char buf[65536];
        off_t off = 0;
        for (;;) {
            ssize_t r = read(src, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) { jail_fail(j, "read(stdin %s): %s", path, strerror(errno)); (void)close(src); return -1; }
            if (r == 0) break;
            for (ssize_t done = 0; done < r;) {
                ssize_t w = pwrite(memfd, buf + done, (size_t)(r - done), off);
                if (w < 0 && errno == EINTR) continue;
                if (w <= 0) { jail_fail(j, "write(stdin memfd): %s", w < 0 ? strerror(errno) : "no progress"); (void)close(src); return -1; }
                done += w; off += w;
            }
        }
        (void)close(src); /* read-only: nothing is lost at close */
    }
    if (fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
        jail_fail(j, "fcntl(stdin memfd, F_ADD_SEALS): %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Sends the request: header and descriptors in one message, then the run's lines of the spec. */
static int send_request(struct jail *j, struct prepared *p, int box_fd, int collect_fd, bool go_sent) {
    char *text = malloc(j->spec.raw_len + 1);
    if (!text) { errno = ENOMEM; return -1; }
    size_t len = spec_run_lines(&j->spec, text);
    struct request_header h = {.magic = REQUEST_MAGIC, .spec_len = (uint32_t)len,
                               .has_box = box_fd >= 0, .has_collect = collect_fd >= 0, .go_sent = go_sent};
    int fdv[2], nfd = 0;
    if (box_fd >= 0) fdv[nfd++] = box_fd;
    if (collect_fd >= 0) fdv[nfd++] = collect_fd;
    int rc = send_fds(p->ctl_fd, &h, sizeof h, fdv, nfd) == 0 ? write_all(p->ctl_fd, text, len) : -1;
    int saved = errno;
    free(text);
    errno = saved;
    return rc;
}

int supervise_run(struct jail *j, struct prepared *p, int result_fd) {
    struct spec *s = &j->spec;
    struct run_outcome o;
    memset(&o, 0, sizeof o);
    o.syscall = -1;
    int box_fd = -1, collect_fd = -1;
    struct stream out = {.pipe_fd = -1, .file_fd = -1, .cap = s->output}, err = {.pipe_fd = -1, .file_fd = -1, .cap = s->stderr_cap};
    bool started = false;

    if (j->error[0] || !p) goto finish;
    char cgerr[JAIL_ERR_LEN];
    /* A prepared jail has long said so; one made for this request is waited for here. */
    if (prepared_wait_ready(p, cgerr, sizeof cgerr) < 0) { jail_fail(j, "%s", cgerr); goto finish; }
    j->cg = p->cg; /* the filter was compiled before the jail was made: its child has it loaded */
    if (fill_stdin(j, p->stdin_fd, s->stdin_path) < 0) goto finish;
    if (s->box_from && (box_fd = open(s->box_from, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        jail_fail(j, "open(box %s): %s", s->box_from, strerror(errno)); goto finish;
    }
    if (s->collect_to && (collect_fd = open(s->collect_to, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        jail_fail(j, "open(collect_to %s): %s", s->collect_to, strerror(errno)); goto finish;
    }
    if (cgroup_set_limits(&p->cg, s, cgerr, sizeof cgerr) < 0) { jail_fail(j, "%s", cgerr); goto finish; }
    /* Nothing to do in the box (no inputs, /box and /tmp already of the request's sizes, no
     * executable for pid 1 to check against RLIMIT_AS): the supervisor releases the program child
     * itself, one wake-up fewer before the exec, and pid 1 only watches. Otherwise pid 1 does the
     * box work and then releases it (inside.c). */
    const struct tmpfs_sizes want = {s->box_size, s->box_inodes, s->tmp_size, s->tmp_inodes};
    bool direct = !s->box_from && !memcmp(&want, &p->sizes, sizeof want) && !(s->rlimit_as && strchr(s->argv[0], '/'));
    if (direct && go_send(p->go_fd, s, 0, cgerr, sizeof cgerr) < 0) jail_fail(j, "releasing the program: %s", cgerr); /* IE; pid 1 still reports */
    close_if(&p->go_fd);
    /* A failed send is not the verdict yet: pid 1 may have reported why it could not listen. */
    bool sent = send_request(j, p, box_fd, collect_fd, direct) == 0;
    int send_errno = errno;
    close_if(&box_fd); close_if(&collect_fd);
    started = true;
    /* The output files are made at the first event after the request (usually the exec, while the
     * program runs), before any output is read: off the request's path. If one cannot be made, the
     * run is stopped (IE). */
    bool files_made = false;

    out.pipe_fd = p->out_fd; err.pipe_fd = p->err_fd; p->out_fd = p->err_fd = -1;
    int exec_fd = p->exec_fd, report_fd = p->report_fd;
    struct inside_report rep;
    size_t rep_got = 0;
    bool exec_done = false, report_done = false;
    uint64_t start_us = 0, cpu_at_exec = 0, kill_at = 0;
    char execbuf[JAIL_ERR_LEN];
    size_t exec_len = 0;

    while (!report_done || out.pipe_fd >= 0 || err.pipe_fd >= 0) {
        struct pollfd fds[4];
        int nf = 0;
        if (out.pipe_fd >= 0) fds[nf++] = (struct pollfd){.fd = out.pipe_fd, .events = POLLIN};
        if (err.pipe_fd >= 0) fds[nf++] = (struct pollfd){.fd = err.pipe_fd, .events = POLLIN};
        if (exec_fd >= 0) fds[nf++] = (struct pollfd){.fd = exec_fd, .events = POLLIN};
        if (!report_done) fds[nf++] = (struct pollfd){.fd = report_fd, .events = POLLIN};
        int pr = poll(fds, (nfds_t)nf, exec_done ? POLL_MS : 50);
        if (pr < 0 && errno != EINTR) { jail_fail(j, "poll: %s", strerror(errno)); break; }
        if (!files_made && pr > 0) {
            files_made = true;
            out.file_fd = open_out(j, s->stdout_path);
            err.file_fd = open_out(j, s->stderr_path);
        }
        if (files_made && out.pipe_fd >= 0) drain(&out); /* never a byte read before its file exists */
        if (files_made && err.pipe_fd >= 0) drain(&err);
        if (exec_fd >= 0) {
            ssize_t r = read(exec_fd, execbuf + exec_len, sizeof execbuf - 1 - exec_len);
            if (r > 0) exec_len += (size_t)r;
            else if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                /* EOF: the close-on-exec pipe closed, the program is running (the clock starts). */
                exec_fd = -1;
                exec_done = true;                start_us = mono_us();
                if (cgroup_cpu_us(&p->cg, &cpu_at_exec) < 0) cpu_at_exec = 0;
            }
        }
        if (!report_done) {
            ssize_t r = read(report_fd, (char *)&rep + rep_got, sizeof rep - rep_got);
            if (r > 0) rep_got += (size_t)r;
            if (r == 0 || rep_got == sizeof rep || (r < 0 && errno != EAGAIN && errno != EINTR)) report_done = true;
        }
        uint64_t t = mono_us();
        if (exec_done && !o.limit && !report_done) {
            uint64_t cpu;
            if (cgroup_cpu_us(&p->cg, &cpu) == 0 && cpu - cpu_at_exec > s->cpu_ms * 1000) o.limit = LIMIT_CPU;
            else if (t - start_us > s->wall_ms * 1000) o.limit = LIMIT_WALL;
        }
        if (!o.limit && out.over) o.limit = LIMIT_OUTPUT;
        if (!o.limit && err.over) o.limit = LIMIT_STDERR;
        if ((o.limit || j->error[0] || stop_requested) && !kill_at) { /* a limit, an output file we could not make, a stop */
            kill_at = t;
            /* pid 1 kills everything else and still reports (reports stay readable). */
            if (kill(p->pid1, SIGUSR1) < 0 && errno != ESRCH) jail_fail(j, "kill(pid 1, SIGUSR1): %s", strerror(errno));
        }
        /* pid 1 did not finish in time: kill it, the kernel then kills the whole namespace. */
        if (kill_at && !report_done && t - kill_at > KILL_GRACE_MS * 1000) {
            if (kill(p->pid1, SIGKILL) < 0 && errno != ESRCH) jail_fail(j, "kill(pid 1, SIGKILL): %s", strerror(errno));
            (void)cgroup_kill(&p->cg); /* a second belt; its failure shows at removal */
        }
    }
    o.wall_us = exec_done && start_us ? mono_us() - start_us : 0;
    if (!files_made) { out.file_fd = open_out(j, s->stdout_path); err.file_fd = open_out(j, s->stderr_path); }
    if (rep_got == sizeof rep) {
        o.have_report = true;
        o.report = rep;
    } else if (!sent) {
        jail_fail(j, "sending the request to pid 1: %s", strerror(send_errno));
    }
    if (exec_len > 0 && execbuf[0] == 'X' && exec_len >= 1 + sizeof(int)) memcpy(&o.exec_errno, execbuf + 1, sizeof(int));
    else if (exec_len > 0) { execbuf[exec_len] = 0; jail_fail(j, "preparing the program: %s", execbuf + 1); }
    if (!o.have_report && p->pid1 > 0) {
        /* pid 1 died without a report: its status says how (reaped here; finish skips it). */
        int st;
        pid_t w;
        do w = waitpid(p->pid1, &st, 0); while (w < 0 && errno == EINTR);
        if (w == p->pid1) { o.pid1_status = st; p->pid1 = -1; }
        else jail_fail(j, "waitpid(pid 1): %s", strerror(errno));
    }
    cgroup_collect(&p->cg, &o.cg);
    /* Only the program's CPU: pid 1's own preparation is in the cgroup's counter too. */
    if (o.cg.have_cpu) o.cg.cpu_us = o.cg.cpu_us > cpu_at_exec ? o.cg.cpu_us - cpu_at_exec : 0;
finish:
    if (!started) o.have_report = false;
    o.stdout_bytes = out.bytes; o.stderr_bytes = err.bytes;
    o.stdout_truncated = out.truncated; o.stderr_truncated = err.truncated;
    int fds[] = {box_fd, collect_fd, out.pipe_fd, err.pipe_fd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) if (fds[i] >= 0) (void)close(fds[i]); /* read ends */
    /* The output files are ours and written: a lost write is our failure, never the learner's. */
    struct stream *files[] = {&out, &err};
    for (int i = 0; i < 2; i++) {
        if (files[i]->write_errno) jail_fail(j, "writing the program's %s: %s", i ? "stderr" : "stdout", strerror(files[i]->write_errno));
        if (files[i]->file_fd >= 0 && close(files[i]->file_fd) < 0) jail_fail(j, "close(%s file): %s", i ? "stderr" : "stdout", strerror(errno));
    }
    return result_write(j, &o, result_fd);
}
