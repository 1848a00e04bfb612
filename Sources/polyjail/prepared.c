/* prepared.c: jails made before their request arrives (docs/polyjail.md, "Prepared jails":
 * prepare the next run's jail while idle). Whenever no spec waits and fewer are ready than main.c keeps
 * (READY_FOR_LATEST for the last root, one for the root before it), the helper clones a
 * pid 1 into fresh pid, ipc, uts (and, when asked, net) namespaces; pid 1 makes and joins a cgroup of its
 * own, copies its root's template into a mount namespace of its own (or builds the root), says it is
 * ready (handing over its cgroup's files) and blocks on its socket. The cgroup work (a move can wait an
 * RCU grace period, holding cgroup_mutex), the namespaces and the mounts are then off the request's
 * path, and the supervisor itself never takes cgroup_mutex between requests. Rules: a prepared jail serves exactly one request and is thrown away after it, on any
 * error, and when a request needs another root; no learner process exists in it before its
 * request, and nothing of an earlier run can reach it (new namespaces, a new cgroup, /box and
 * /tmp that nothing has written, a stdin memfd of its own). */
#include "jail.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The template for j's root (built now if it is not among the recent ones), or -1 with err set.
 * The descriptor stays the cache's; the cloned pid 1 has its own copy. */
static int template_for(struct jail *j, const char *key, char *err, size_t n) {
    struct serve_cache *c = j->cache;
    int i = 0;
    while (i < c->ntemplates && strcmp(c->templates[i].key, key)) i++;
    struct root_template t;
    if (i < c->ntemplates && mono_us() - c->templates[i].built_us <= (uint64_t)c->template_max_age_ms * 1000) t = c->templates[i];
    else {
        t.key = strdup(key);
        if (!t.key) { snprintf(err, n, "out of memory"); return -1; }
        t.ns_fd = mounts_template_build(j, err, n);
        if (t.ns_fd < 0) { free(t.key); return -1; }
        t.built_us = mono_us();
        /* It replaces this root's old template, or the least recently used when all are taken (jails
         * made from a replaced one keep their copies). */
        if (i == c->ntemplates && c->ntemplates < TEMPLATES_MAX) c->ntemplates++;
        else {
            if (i == c->ntemplates) i = TEMPLATES_MAX - 1;
            free(c->templates[i].key);
            close_if(&c->templates[i].ns_fd);
        }
    }
    memmove(c->templates + 1, c->templates, sizeof c->templates[0] * (size_t)i);
    c->templates[0] = t;
    return t.ns_fd;
}

/* Builds a jail from j->spec's root (binds, /etc, /dev, /proc, network, level) for slot j->slot.
 * `seq` (0 to JAIL_SEQS - 1) names its cgroup, so that the next jails can be prepared while the last
 * ones are still being torn down. */
struct prepared *prepared_create(struct jail *j, int seq, char *err, size_t n) {
    struct prepared *p = calloc(1, sizeof *p);
    if (!p) { snprintf(err, n, "out of memory"); return NULL; }
    p->pid1 = -1;
    p->pidfd = -1;
    p->seq = seq;
    p->ctl_fd = p->report_fd = p->exec_fd = p->out_fd = p->err_fd = p->stdin_fd = p->go_fd = -1;
    p->sizes = (struct tmpfs_sizes){j->spec.box_size, j->spec.box_inodes, j->spec.tmp_size, j->spec.tmp_inodes};
    p->cg.cpu_fd = p->cg.peak_fd = p->cg.oom_fd = -1;
    int ctl[2] = {-1, -1}, rep[2] = {-1, -1}, ex[2] = {-1, -1}, out[2] = {-1, -1}, er[2] = {-1, -1}, go[2] = {-1, -1};
    p->key = spec_root_key(&j->spec);
    if (!p->key) { snprintf(err, n, "out of memory"); goto fail; }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0) { snprintf(err, n, "socketpair: %s", strerror(errno)); goto fail; }
    if (pipe2(rep, O_CLOEXEC) || pipe2(ex, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(er, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
        snprintf(err, n, "pipe2: %s", strerror(errno));
        goto fail;
    }
    /* The program's stdin: one memfd the supervisor fills with pwrite (the child's offset stays
     * 0) and seals at the request; the child has it as fd 0 and never sees a host path. */
    p->stdin_fd = (int)syscall(SYS_memfd_create, "stdin", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (p->stdin_fd < 0) { snprintf(err, n, "memfd_create(stdin): %s", strerror(errno)); goto fail; }
    char name[64];
    snprintf(name, sizeof name, "slot-%d.%d", j->slot, seq);
    if (cgroup_name(&p->cg, j->spec.level, j->spec.cgroup_root, name, err, n) < 0) goto fail;
    j->cg = p->cg; /* pid 1 makes it, writes the limits of the spec it is prepared from, and joins it (inside.c) */
    /* serve mode may reuse its own empty network namespace (main.c); IPC, mount, pid and UTS
     * namespaces are always new: SysV objects and mounts outlive processes. The cgroup
     * namespace is unshared by pid 1 once it is in its cgroup, so no host path shows. */
    bool new_net = !(j->cache && j->cache->shared_netns && !j->spec.loopback);
    /* A serving helper's pid 1 copies the root's template (mounts.c, "Templates"): it starts in
     * the host's mount namespace and leaves it by setns, so nothing of the host's mounts is
     * copied or torn down per jail. */
    j->template_fd = -1;
    if (j->cache && !spec_binds_tmp(&j->spec) && (j->template_fd = template_for(j, p->key, err, n)) < 0) goto fail;
    int flags = CLONE_NEWPID | (j->template_fd >= 0 ? 0 : CLONE_NEWNS) | (new_net ? CLONE_NEWNET : 0) | CLONE_NEWIPC | CLONE_NEWUTS;
    j->helper_cpu = sched_getcpu();
    pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid < 0) { snprintf(err, n, "clone(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWNET|CLONE_NEWIPC|CLONE_NEWUTS): %s", strerror(errno)); goto fail; }
    if (pid == 0) {
        /* `run --stream`: the caller's pipes stand in for the memfd and the collected stdout pipe;
         * pid 1 hands them to the program child and closes its copies like those. */
        bool stream = j->stream_in >= 0 && j->stream_out >= 0;
        struct inside_fds f = {.ctl = ctl[1], .report = rep[1], .exec = ex[1], .out = stream ? j->stream_out : out[1], .err = er[1],
                               .stdin_mfd = stream ? j->stream_in : p->stdin_fd, .go_r = go[0], .go_w = go[1]};
        inside_main(j, f);
    }
    p->pid1 = pid;
    /* Those limits: the next request usually repeats them, and then writes none (cgroup_set_limits). */
    if (p->cg.backend != CG_NONE) { p->cg.limited = true; p->cg.limit_memory = j->spec.memory; p->cg.limit_processes = j->spec.processes; }
    p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (p->pidfd < 0) { snprintf(err, n, "pidfd_open(pid 1): %s", strerror(errno)); goto fail; }
    close_if(&ctl[1]); close_if(&rep[1]); close_if(&ex[1]); close_if(&out[1]); close_if(&er[1]); close_if(&go[0]);
    p->go_fd = go[1]; go[1] = -1;
    p->ctl_fd = ctl[0]; p->report_fd = rep[0]; p->exec_fd = ex[0]; p->out_fd = out[0]; p->err_fd = er[0];
    int nb[] = {p->report_fd, p->exec_fd, p->out_fd, p->err_fd};
    for (int i = 0; i < 4; i++) {
        int fl = fcntl(nb[i], F_GETFL);
        if (fl < 0 || fcntl(nb[i], F_SETFL, fl | O_NONBLOCK) < 0) { snprintf(err, n, "fcntl(O_NONBLOCK): %s", strerror(errno)); goto fail; }
    }
    p->created_us = mono_us();
    return p;
fail:
    close_if(&ctl[0]); close_if(&ctl[1]); close_if(&rep[0]); close_if(&rep[1]); close_if(&ex[0]); close_if(&ex[1]);
    close_if(&out[0]); close_if(&out[1]); close_if(&er[0]); close_if(&er[1]); close_if(&go[0]); close_if(&go[1]);
    prepared_discard(p);
    return NULL;
}

/* Usable for a request with root `key`: same root, pid 1 still waiting (it has written no
 * report: a failed preparation reports at once and exits). */
bool prepared_usable(const struct prepared *p, const char *key) {
    if (!p || strcmp(p->key, key)) return false;
    struct pollfd f = {.fd = p->report_fd, .events = POLLIN};
    int r = poll(&f, 1, 0);
    return r == 0;
}

/* pid 1 says it is prepared with one byte over its socket and, with cgroups, the descriptors of its
 * cgroup's CPU, peak and OOM files (it made the cgroup: cgroup_make). A jail made for the request that
 * is waiting is waited for here; a pid 1 that failed instead has reported why, and exited. */
int prepared_wait_ready(struct prepared *p, char *err, size_t n) {
    if (p->ready) return 0;
    char byte = 0;
    int fdv[3], nfd;
    ssize_t got = recv_fds(p->ctl_fd, &byte, 1, 0, fdv, 3, &nfd);
    if (got == 1 && byte == 'R' && nfd == (p->cg.backend == CG_NONE ? 0 : 3)) {
        if (nfd) { p->cg.cpu_fd = fdv[0]; p->cg.peak_fd = fdv[1]; p->cg.oom_fd = fdv[2]; }
        p->ready = true;
        return 0;
    }
    for (int i = 0; i < nfd; i++) (void)close(fdv[i]); /* a malformed message's descriptors */
    struct inside_report rep;
    if (got == 0 && read(p->report_fd, &rep, sizeof rep) == (ssize_t)sizeof rep && rep.error[0]) snprintf(err, n, "%s", rep.error);
    else snprintf(err, n, "pid 1 of a prepared jail: %s", got < 0 ? strerror(errno) : got == 0 ? "ended before it was prepared" : "malformed readiness message");
    return -1;
}

static void release(struct prepared *p) {
    close_if(&p->cg.cpu_fd); close_if(&p->cg.peak_fd); close_if(&p->cg.oom_fd);
    close_if(&p->pidfd); close_if(&p->stdin_fd); close_if(&p->go_fd);
    close_if(&p->ctl_fd); close_if(&p->report_fd); close_if(&p->exec_fd); close_if(&p->out_fd); close_if(&p->err_fd);
    free(p->key);
    free(p);
}

/* Reaps pid 1 and removes the cgroup after the record was written. pid 1 has reported, so it
 * is exiting on its own; the kernel kills whatever its namespace still held. */
int prepared_finish(struct prepared *p, char *err, size_t n) {
    int rc = 0;
    /* A used pid 1 waits for its socket to close before it exits (inside.c). */
    close_if(&p->ctl_fd); close_if(&p->report_fd); close_if(&p->exec_fd); close_if(&p->out_fd); close_if(&p->err_fd);
    if (p->pid1 > 0) {
        int st;
        pid_t w;
        do w = waitpid(p->pid1, &st, 0); while (w < 0 && errno == EINTR);
        if (w < 0) { snprintf(err, n, "waitpid(pid 1): %s", strerror(errno)); rc = -1; }
    }
    if (cgroup_destroy(&p->cg, rc ? NULL : err, n) < 0) rc = -1;
    release(p);
    return rc;
}

int prepared_try_finish(struct prepared *p, char *err, size_t n) {
    close_if(&p->ctl_fd); close_if(&p->report_fd); close_if(&p->exec_fd); close_if(&p->out_fd); close_if(&p->err_fd);
    if (p->pid1 > 0) {
        int st;
        pid_t w;
        do w = waitpid(p->pid1, &st, WNOHANG); while (w < 0 && errno == EINTR);
        if (w == 0) return 0;
        if (w < 0) { snprintf(err, n, "waitpid(pid 1): %s", strerror(errno)); release(p); return -1; }
    }
    /* pid 1 is reaped, so every process of its namespace is gone. The cgroup's directories stay for the
     * next pid 1 of this name to remove (cgroup_make), or for the helper's exit: an rmdir here could wait
     * on cgroup_mutex behind another jail's cgroup move, for an RCU grace period (docs/polyjail.md). */
    release(p);
    return 1;
}

/* Throws a jail away unused (another root was needed, the helper is stopping, or it failed). */
void prepared_discard(struct prepared *p) {
    if (!p) return;
    close_if(&p->ctl_fd); /* pid 1 sees EOF and exits; SIGKILL makes sure */
    if (p->pid1 > 0 && kill(p->pid1, SIGKILL) < 0 && errno != ESRCH)
        fprintf(stderr, "polyjail: kill(pid 1 of a prepared jail): %s\n", strerror(errno)); /* the reap below still waits */
    char err[JAIL_ERR_LEN];
    if (prepared_finish(p, err, sizeof err) < 0) fprintf(stderr, "polyjail: discarding a prepared jail: %s\n", err);
}
