/* result.c: the verdict of one run (docs/reference/results.md, "Verdicts": IE > TLE > MLE > OLE > RE/SV) and its JSON
 * record. The record is documented field by field in docs/polyjail.md. */
#include "result.h"
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *signal_name(int sig) {
    static const struct { int s; const char *n; } t[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGFPE, "SIGFPE"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"}, {SIGILL, "SIGILL"},
        {SIGKILL, "SIGKILL"}, {SIGPIPE, "SIGPIPE"}, {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},
        {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"}, {SIGHUP, "SIGHUP"}, {SIGALRM, "SIGALRM"}, {SIGUSR1, "SIGUSR1"},
        {SIGUSR2, "SIGUSR2"}, {SIGTRAP, "SIGTRAP"}, {SIGQUIT, "SIGQUIT"}, {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) if (t[i].s == sig) return t[i].n;
    return NULL;
}

void json_string(char **p, char *end, const char *s) {
    char *o = *p;
    if (o < end) *o++ = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c && o + 8 < end; c++) {
        if (*c == '"' || *c == '\\') { *o++ = '\\'; *o++ = (char)*c; }
        else if (*c == '\n') { *o++ = '\\'; *o++ = 'n'; }
        else if (*c < 0x20 || *c >= 0x80) o += sprintf(o, "\\u%04x", *c < 0x80 ? *c : 0xfffd);
        else *o++ = (char)*c;
    }
    if (o < end) *o++ = '"';
    *p = o;
}

static void put(char **p, char *end, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(*p, (size_t)(end - *p), fmt, ap);
    va_end(ap);
    if (n > 0) *p += n < end - *p ? n : end - *p - 1;
}

static const char *limit_name(enum limit_kind l) {
    const char *n[] = {NULL, "cpu", "wall", "memory", "output", "stderr", "file_size"};
    return n[l];
}

static char record[16384];

void result_warm(void) {
    for (size_t i = 0; i < sizeof record; i += 4096) ((volatile char *)record)[i] = ((volatile char *)record)[i];
}

int result_write(struct jail *j, struct run_outcome *o, int fd) {
    const struct spec *s = &j->spec;
    const struct inside_report *r = &o->report;
    const char *status = "OK";
    enum limit_kind limit = o->limit;
    int exit_code = -1, sig = 0;
    bool ran = o->have_report && r->program_reaped;
    if (ran) {
        if (WIFEXITED(r->program_status)) exit_code = WEXITSTATUS(r->program_status);
        else if (WIFSIGNALED(r->program_status)) sig = WTERMSIG(r->program_status);
    }
    /* A syscall caught by the strict filter: the run was killed for it (SV, named). */
    const char *syscall_name = NULL;
    if (ran && r->seccomp_syscall >= 0) { syscall_name = filter_syscall_name(r->seccomp_syscall); sig = SIGSYS; exit_code = -1; }
    uint64_t peak = o->have_report ? (uint64_t)r->maxrss_kb * 1024 : 0;
    uint64_t cpu_user = o->have_report ? (uint64_t)r->utime_us : o->cg.user_us;
    uint64_t cpu_sys = o->have_report ? (uint64_t)r->stime_us : o->cg.system_us;
    uint64_t cpu = cpu_user + cpu_sys;
    if (o->cg.have_cpu && o->cg.cpu_us > cpu) cpu = o->cg.cpu_us; /* orphans and threads all count */

    if (o->have_report && r->error[0]) jail_fail(j, "%s", r->error);
    if (!o->have_report && !limit && !j->error[0]) jail_fail(j, "pid 1 of the run died unexpectedly (status 0x%x)", o->pid1_status);

    bool mem_hit = o->cg.oom_killed || (s->memory && peak >= s->memory) ||
                   ((sig || exit_code > 0) && s->memory && peak * 100 >= s->memory * 95) ||
                   (o->exec_errno == ENOMEM && s->rlimit_as);
    /* An OOM kill in the run's cgroup means the program's own memory (or its files in /box and
     * /tmp) reached the limit: pid 1 is exempt from the OOM killer, so the kill took a program
     * process. A jail failure that follows (no room left to report) is a consequence, and the
     * verdict is the learner's MLE, never "not your fault" (the error stays for staff). */
    if (j->error[0] && !o->cg.oom_killed) status = "IE";
    else if (limit == LIMIT_CPU || limit == LIMIT_WALL || sig == SIGXCPU ||
             (sig == SIGKILL && cpu >= s->cpu_ms * 1000 && !mem_hit)) {
        status = "TLE";
        if (!limit) limit = LIMIT_CPU;
    } else if (mem_hit) { status = "MLE"; limit = LIMIT_MEMORY; }
    else if (limit == LIMIT_OUTPUT || limit == LIMIT_STDERR || sig == SIGXFSZ) {
        status = "OLE";
        if (!limit) limit = LIMIT_FILE_SIZE;
    } else if (sig == SIGSYS) status = "SV";
    else if (o->exec_errno) { status = "RE"; exit_code = 127; }
    else if (sig || exit_code != 0) status = "RE";

    char *buf = record, *p = buf, *end = buf + sizeof record;
    /* The request id first: polygrader checks it before it believes anything else in the line. */
    put(&p, end, "{\"id\":");
    if (s->id) json_string(&p, end, s->id); else put(&p, end, "null");
    put(&p, end, ",\"status\":\"%s\",\"limit\":", status);
    if (limit && strcmp(status, "IE")) json_string(&p, end, limit_name(limit)); else put(&p, end, "null");
    if (exit_code >= 0) put(&p, end, ",\"exit_code\":%d", exit_code); else put(&p, end, ",\"exit_code\":null");
    if (sig) {
        put(&p, end, ",\"signal\":%d,\"signal_name\":", sig);
        if (signal_name(sig)) json_string(&p, end, signal_name(sig)); else put(&p, end, "null");
    } else put(&p, end, ",\"signal\":null,\"signal_name\":null");
    if (syscall_name && !strcmp(status, "SV")) { put(&p, end, ",\"syscall\":"); json_string(&p, end, syscall_name); }
    else put(&p, end, ",\"syscall\":null");
    put(&p, end, ",\"cpu_s\":%.6f,\"cpu_user_s\":%.6f,\"cpu_system_s\":%.6f,\"wall_s\":%.6f",
        cpu / 1e6, cpu_user / 1e6, cpu_sys / 1e6, o->wall_us / 1e6);
    put(&p, end, ",\"memory_peak_bytes\":%llu", (unsigned long long)peak);
    if (o->cg.have_peak) put(&p, end, ",\"cgroup_memory_peak_bytes\":%llu", (unsigned long long)o->cg.peak);
    else put(&p, end, ",\"cgroup_memory_peak_bytes\":null");
    put(&p, end, ",\"oom_killed\":%s", o->cg.oom_killed ? "true" : "false");
    put(&p, end, ",\"stdout_bytes\":%llu,\"stderr_bytes\":%llu,\"stdout_truncated\":%s,\"stderr_truncated\":%s",
        (unsigned long long)o->stdout_bytes, (unsigned long long)o->stderr_bytes,
        o->stdout_truncated ? "true" : "false", o->stderr_truncated ? "true" : "false");
    put(&p, end, ",\"exec_error\":");
    if (o->exec_errno) json_string(&p, end, strerror(o->exec_errno)); else put(&p, end, "null");
    put(&p, end, ",\"collect_truncated\":%s", o->have_report && r->collect_truncated ? "true" : "false");
    const char *cgname[] = {"none", "v1", "v2", "hybrid"};
    put(&p, end, ",\"isolation\":\"%s\",\"cgroup\":\"%s\",\"slot\":%d,\"uid\":%u,\"prepared\":%s",
        s->level == LEVEL_FULL ? "full" : "no-cgroup", cgname[j->cg.backend], j->slot, (unsigned)j->uid,
        j->prepared ? "true" : "false");
    put(&p, end, ",\"error\":");
    if (j->error[0]) json_string(&p, end, j->error); else put(&p, end, "null");
    put(&p, end, "}\n");
    return write_all(fd, buf, (size_t)(p - buf));
}
