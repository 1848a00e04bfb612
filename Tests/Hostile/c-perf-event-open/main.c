// Attack: open perf events on ourselves and system-wide (side channels, kernel bugs); must fail.
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
#include <linux/perf_event.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_SOFTWARE;
    a.config = PERF_COUNT_SW_CPU_CLOCK;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    probe("perf_event_open(self, sw cpu clock)", syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_CPU_CYCLES;
    probe("perf_event_open(self, hw cycles)", syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
    probe("perf_event_open(all, cpu 0)", syscall(SYS_perf_event_open, &a, -1, 0, -1, 0));
    return 0;
}
