/* rlimits.c: per-process limits of the program, set hard = soft so it cannot raise them.
 * RLIMIT_CPU is only the backstop (the supervisor polls cgroup CPU); RLIMIT_NPROC counts per
 * slot uid, so a fork bomb is bounded even where pids.max is missing. pid 1 plans them from the
 * request; the prepared program child applies them to itself (only lowering: it holds no
 * capability) just before execve. */
#include "jail.h"
#include <stddef.h>
#include <sys/resource.h>

int rlimits_plan(const struct spec *s, struct rlimit_entry out[RLIMITS_MAX]) {
    int n = 0;
#define PLAN(res, soft, hard) (out[n++] = (struct rlimit_entry){.resource = (res), .cur = (soft), .max = (hard)})
    uint64_t cpu_s = (s->cpu_ms + 999) / 1000 + 1;
    PLAN(RLIMIT_CPU, cpu_s, cpu_s + 1); /* SIGXCPU first, SIGKILL a second later */
    if (s->rlimit_as) PLAN(RLIMIT_AS, s->rlimit_as, s->rlimit_as);
    PLAN(RLIMIT_FSIZE, s->file_size, s->file_size);
    PLAN(RLIMIT_NOFILE, s->open_files, s->open_files);
    uint64_t stack = s->stack ? s->stack : RLIM_INFINITY;
    PLAN(RLIMIT_STACK, stack, stack);
    PLAN(RLIMIT_CORE, 0, 0);      /* a core dump would write the program's memory */
    PLAN(RLIMIT_MEMLOCK, 0, 0);   /* locked pages escape memory reclaim */
    PLAN(RLIMIT_MSGQUEUE, 0, 0);
    PLAN(RLIMIT_RTPRIO, 0, 0);    /* no real-time scheduling to starve the host */
    PLAN(RLIMIT_NPROC, s->processes, s->processes);
#undef PLAN
    return n;
}

int rlimits_apply_self(const struct rlimit_entry *e, int n) {
    for (int i = 0; i < n; i++) {
        struct rlimit r = {.rlim_cur = e[i].cur, .rlim_max = e[i].max};
        if (prlimit(0, (__rlimit_resource_t)e[i].resource, &r, NULL) < 0) return -1;
    }
    return 0;
}
