// Attack: busy-wait on the clock (vDSO, no syscalls) for 10 s; the CPU limit must fire (TLE, cpu).
#include <time.h>
int main(void) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do
        clock_gettime(CLOCK_MONOTONIC, &now);
    while (now.tv_sec - start.tv_sec < 10);
    return 0;
}
