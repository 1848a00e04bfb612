// Attack: raise hard resource limits (CPU, files, processes, address space...) or change pid 1's; raising a hard limit needs CAP_SYS_RESOURCE.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
__attribute__((unused)) static void probe(const char *what, long r) {  // a forbidden call that succeeds is a LEAK
    if (r < 0)
        printf("%s: %s\n", what, en(errno));
    else
        printf("%s: OK (LEAK) %ld\n", what, r);
}
#include <sys/resource.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    static const struct { int res; const char *name; } R[] = {
        {RLIMIT_CPU, "RLIMIT_CPU"}, {RLIMIT_FSIZE, "RLIMIT_FSIZE"}, {RLIMIT_DATA, "RLIMIT_DATA"},
        {RLIMIT_STACK, "RLIMIT_STACK"}, {RLIMIT_CORE, "RLIMIT_CORE"}, {RLIMIT_NOFILE, "RLIMIT_NOFILE"},
        {RLIMIT_AS, "RLIMIT_AS"}, {RLIMIT_NPROC, "RLIMIT_NPROC"}, {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
        {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"}, {RLIMIT_NICE, "RLIMIT_NICE"}, {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"},
        {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"}};
    for (size_t i = 0; i < sizeof R / sizeof *R; i++) {
        struct rlimit rl;
        getrlimit(R[i].res, &rl);
        if (rl.rlim_max == RLIM_INFINITY) {
            printf("%s: soft %lld hard unlimited\n", R[i].name, (long long)rl.rlim_cur);
            continue;
        }
        printf("%s: soft %llu hard %llu\n", R[i].name, (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
        struct rlimit up = {RLIM_INFINITY, RLIM_INFINITY};
        char what[64];
        snprintf(what, sizeof what, "%s raise hard", R[i].name);
        probe(what, setrlimit(R[i].res, &up));
    }
    struct rlimit one = {1, 1}, old;
    probe("prlimit(1, RLIMIT_NOFILE, read)", prlimit(1, RLIMIT_NOFILE, NULL, &old));
    probe("prlimit(1, RLIMIT_NOFILE, {1, 1})", prlimit(1, RLIMIT_NOFILE, &one, NULL));
    probe("prlimit(getppid(), RLIMIT_CPU, {1, 1})", prlimit(getppid(), RLIMIT_CPU, &one, NULL));
    return 0;
}
