// Attack: set the host's clock (settimeofday, clock_settime, adjtimex, clock_adjtime), to the current time so that even a broken jail does no harm.
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
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    probe("settimeofday(now)", settimeofday(&tv, NULL));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    probe("clock_settime(CLOCK_REALTIME, now)", clock_settime(CLOCK_REALTIME, &ts));
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    tx.modes = ADJ_OFFSET_SINGLESHOT;
    tx.offset = 0;
    probe("adjtimex(ADJ_OFFSET_SINGLESHOT 0)", adjtimex(&tx));
    memset(&tx, 0, sizeof tx);
    tx.modes = ADJ_FREQUENCY;
    probe("clock_adjtime(ADJ_FREQUENCY)", syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx));
    return 0;
}
