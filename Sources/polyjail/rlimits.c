/* rlimits.c: per-process limits of the program, set hard = soft so it cannot raise them.
 * RLIMIT_CPU is only the backstop (the supervisor polls cgroup CPU); RLIMIT_NPROC counts per
 * slot uid, so a fork bomb is bounded even where pids.max is missing. */
#include "jail.h"
#include <sys/resource.h>

static int set(int res, uint64_t v) {
    struct rlimit r = {.rlim_cur = v, .rlim_max = v};
    return setrlimit(res, &r);
}

int rlimits_apply(const struct spec *s) {
    uint64_t cpu_s = (s->cpu_ms + 999) / 1000 + 1;
    struct rlimit cpu = {.rlim_cur = cpu_s, .rlim_max = cpu_s + 1}; /* SIGXCPU first, SIGKILL a second later */
    if (setrlimit(RLIMIT_CPU, &cpu)) return -1;
    if (s->rlimit_as && set(RLIMIT_AS, s->rlimit_as)) return -1;
    if (set(RLIMIT_FSIZE, s->file_size)) return -1;
    if (set(RLIMIT_NOFILE, s->open_files)) return -1;
    if (set(RLIMIT_STACK, s->stack ? s->stack : RLIM_INFINITY)) return -1;
    if (set(RLIMIT_CORE, 0)) return -1;      /* a core dump would write the program's memory */
    if (set(RLIMIT_MEMLOCK, 0)) return -1;   /* locked pages escape memory reclaim */
    if (set(RLIMIT_MSGQUEUE, 0)) return -1;
    if (set(RLIMIT_RTPRIO, 0)) return -1;    /* no real-time scheduling to starve the host */
    if (set(RLIMIT_NPROC, s->processes)) return -1;
    return 0;
}
