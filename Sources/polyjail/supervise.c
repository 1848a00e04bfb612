/* supervise.c: the root supervisor's side of one run. It clones pid 1 into new namespaces,
 * enters it into the run's cgroup while pid 1 waits on the sync pipe, then polls: output
 * pipes (capped, OLE), cgroup CPU (TLE), the wall clock from exec (TLE, wall). It never
 * touches a path inside the box: pid 1 does the box work. Result: the JSON record (result.c). */
#include "jail.h"
#include "result.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 10
#define KILL_GRACE_MS 2000

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

struct stream { int pipe_fd, file_fd; uint64_t cap, bytes; bool truncated, over; };

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
        if (keep && s->file_fd >= 0) (void)write_all(s->file_fd, buf, keep);
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

int supervise_run(struct jail *j, int result_fd) {
    struct spec *s = &j->spec;
    struct run_outcome o;
    memset(&o, 0, sizeof o);
    o.syscall = -1;
    int sync_p[2] = {-1, -1}, report_p[2] = {-1, -1}, exec_p[2] = {-1, -1}, out_p[2] = {-1, -1}, err_p[2] = {-1, -1};
    int in_fd = -1, box_fd = -1, collect_fd = -1;
    struct stream out = {.pipe_fd = -1, .file_fd = -1, .cap = s->output}, err = {.pipe_fd = -1, .file_fd = -1, .cap = s->stderr_cap};
    pid_t pid = -1;

    if (j->error[0]) goto finish;
    if (filter_prepare(j) < 0) goto finish;
    if (pipe2(sync_p, O_CLOEXEC) || pipe2(report_p, O_CLOEXEC) || pipe2(exec_p, O_CLOEXEC) ||
        pipe2(out_p, O_CLOEXEC) || pipe2(err_p, O_CLOEXEC)) { jail_fail(j, "pipe2: %s", strerror(errno)); goto finish; }
    in_fd = open(s->stdin_path ? s->stdin_path : "/dev/null", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in_fd < 0) { jail_fail(j, "open(stdin %s): %s", s->stdin_path ? s->stdin_path : "/dev/null", strerror(errno)); goto finish; }
    out.file_fd = open_out(j, s->stdout_path);
    err.file_fd = open_out(j, s->stderr_path);
    if (j->error[0]) goto finish;
    if (s->box_from && (box_fd = open(s->box_from, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        jail_fail(j, "open(box %s): %s", s->box_from, strerror(errno)); goto finish;
    }
    if (s->collect_to && (collect_fd = open(s->collect_to, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        jail_fail(j, "open(collect_to %s): %s", s->collect_to, strerror(errno)); goto finish;
    }
    if (cgroup_prepare(j) < 0) goto finish;

    /* The cgroup namespace is unshared by pid 1 once it is in the run's cgroup (inside.c), so
     * the program sees its own cgroup as "/" and no host path. */
    /* serve mode may reuse its own empty network namespace (see main.c); IPC, mount, pid and
     * UTS namespaces are always new: SysV objects and mounts outlive processes. */
    bool new_net = !(j->cache && j->cache->shared_netns && !s->loopback);
    pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | (new_net ? CLONE_NEWNET : 0) | CLONE_NEWIPC | CLONE_NEWUTS |
                         SIGCHLD, NULL, NULL, NULL, 0);
    if (pid < 0) { jail_fail(j, "clone(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWNET|CLONE_NEWIPC|CLONE_NEWUTS): %s", strerror(errno)); goto finish; }
    if (pid == 0) {
        close(sync_p[1]); close(report_p[0]); close(exec_p[0]); close(out_p[0]); close(err_p[0]);
        inside_main(j, sync_p[0], report_p[1], exec_p[1], in_fd, out_p[1], err_p[1], box_fd, collect_fd);
    }
    close(sync_p[0]); close(report_p[1]); close(exec_p[1]); close(out_p[1]); close(err_p[1]);
    sync_p[0] = report_p[1] = exec_p[1] = out_p[1] = err_p[1] = -1;
    /* Join the cgroup before pid 1 does anything: its mounts and the box copy are charged too. */
    if (cgroup_enter(j, pid) < 0) { kill(pid, SIGKILL); goto reap; }
    if (write(sync_p[1], "g", 1) != 1) { jail_fail(j, "write(sync pipe): %s", strerror(errno)); kill(pid, SIGKILL); goto reap; }
    close(sync_p[1]); sync_p[1] = -1;

    out.pipe_fd = out_p[0]; err.pipe_fd = err_p[0]; out_p[0] = err_p[0] = -1;
    int report_fd = report_p[0];
    if (fcntl(out.pipe_fd, F_SETFL, O_NONBLOCK) < 0 || fcntl(err.pipe_fd, F_SETFL, O_NONBLOCK) < 0 ||
        fcntl(exec_p[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(report_fd, F_SETFL, O_NONBLOCK) < 0) {
        jail_fail(j, "fcntl(O_NONBLOCK): %s", strerror(errno)); kill(pid, SIGKILL); goto reap;
    }
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
        if (exec_p[0] >= 0) fds[nf++] = (struct pollfd){.fd = exec_p[0], .events = POLLIN};
        if (!report_done) fds[nf++] = (struct pollfd){.fd = report_fd, .events = POLLIN};
        int pr = poll(fds, (nfds_t)nf, exec_done ? POLL_MS : 50);
        if (pr < 0 && errno != EINTR) { jail_fail(j, "poll: %s", strerror(errno)); break; }
        if (out.pipe_fd >= 0) drain(&out);
        if (err.pipe_fd >= 0) drain(&err);
        if (exec_p[0] >= 0) {
            ssize_t r = read(exec_p[0], execbuf + exec_len, sizeof execbuf - 1 - exec_len);
            if (r > 0) exec_len += (size_t)r;
            else if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                /* EOF: the close-on-exec pipe closed, the program is running (the clock starts). */
                close(exec_p[0]); exec_p[0] = -1;
                exec_done = true;
                start_us = now_us();
                cgroup_cpu_us(j, &cpu_at_exec);
            }
        }
        if (!report_done) {
            ssize_t r = read(report_fd, (char *)&rep + rep_got, sizeof rep - rep_got);
            if (r > 0) rep_got += (size_t)r;
            if (r == 0 || rep_got == sizeof rep || (r < 0 && errno != EAGAIN && errno != EINTR)) report_done = true;
        }
        uint64_t t = now_us();
        if (exec_done && !o.limit && !report_done) {
            uint64_t cpu;
            if (cgroup_cpu_us(j, &cpu) == 0 && cpu - cpu_at_exec > s->cpu_ms * 1000) o.limit = LIMIT_CPU;
            else if (t - start_us > s->wall_ms * 1000) o.limit = LIMIT_WALL;
        }
        if (!o.limit && out.over) o.limit = LIMIT_OUTPUT;
        if (!o.limit && err.over) o.limit = LIMIT_STDERR;
        if (o.limit && !kill_at) {
            kill_at = t;
            /* pid 1 kills everything else and still reports (reports stay readable). */
            kill(pid, SIGUSR1);
        }
        /* pid 1 did not finish in time: kill it, the kernel then kills the whole namespace. */
        if (kill_at && !report_done && t - kill_at > KILL_GRACE_MS * 1000) { kill(pid, SIGKILL); cgroup_kill(j); }
        if (out.over && out.pipe_fd >= 0 && o.limit) { /* keep draining so writers never block */ }
    }
    o.wall_us = exec_done && start_us ? now_us() - start_us : 0;
    if (rep_got == sizeof rep) {
        o.have_report = true;
        o.report = rep;
    }
    if (exec_len > 0 && execbuf[0] == 'X' && exec_len >= 1 + sizeof(int)) memcpy(&o.exec_errno, execbuf + 1, sizeof(int));
    else if (exec_len > 0) { execbuf[exec_len] = 0; jail_fail(j, "preparing the program: %s", execbuf + 1); }
reap:
    if (pid > 0) {
        int st = 0;
        pid_t w;
        while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {}
        if (w < 0) jail_fail(j, "waitpid(pid 1): %s", strerror(errno));
        o.pid1_status = st;
    }
finish:
    if (pid > 0) {
        cgroup_collect(j, &o.cg);
    }
    cgroup_destroy(j);
    o.stdout_bytes = out.bytes; o.stderr_bytes = err.bytes;
    o.stdout_truncated = out.truncated; o.stderr_truncated = err.truncated;
    int fds[] = {sync_p[0], sync_p[1], report_p[0], report_p[1], exec_p[0], exec_p[1], out_p[0], out_p[1], err_p[0], err_p[1],
                 in_fd, box_fd, collect_fd, out.pipe_fd, err.pipe_fd, out.file_fd, err.file_fd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) if (fds[i] >= 0) close(fds[i]);
    return result_write(j, &o, result_fd);
}
