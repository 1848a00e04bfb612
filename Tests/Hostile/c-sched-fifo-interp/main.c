// Attack: real-time scheduling (SCHED_FIFO/RR/DEADLINE, negative nice, RT I/O priority) under the deny-list policy; no capability and RLIMIT_RTPRIO 0, all fail.
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
#include <sched.h>
#include <sys/resource.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sched_param sp = {.sched_priority = 50};
    probe("sched_setscheduler(SCHED_FIFO, 50)", sched_setscheduler(0, SCHED_FIFO, &sp));
    probe("sched_setscheduler(SCHED_RR, 1)", sched_setscheduler(0, SCHED_RR, &(struct sched_param){.sched_priority = 1}));
    probe("setpriority(-20)", setpriority(PRIO_PROCESS, 0, -20));
    probe("ioprio_set(IOPRIO_CLASS_RT)", syscall(SYS_ioprio_set, 1 /* WHO_PROCESS */, 0, (1 << 13) | 0 /* RT, level 0 */));
    struct {
        unsigned size, policy;
        unsigned long long flags;
        int nice;
        unsigned prio;
        unsigned long long runtime, deadline, period;
    } attr = {sizeof attr, 6 /* SCHED_DEADLINE */, 0, 0, 0, 10000000, 30000000, 30000000};
    probe("sched_setattr(SCHED_DEADLINE)", syscall(SYS_sched_setattr, 0, &attr, 0));
    printf("policy now %d, nice now %d\n", sched_getscheduler(0), getpriority(PRIO_PROCESS, 0));
    return 0;
}
