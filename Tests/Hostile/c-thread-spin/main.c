// Attack: spin in two threads so CPU time grows faster than wall time; CPU of all threads must count (TLE, cpu).
#include <pthread.h>
static void *spin(void *arg) {
    volatile unsigned long x = 0;
    for (;;)
        x++;
    return arg;
}
int main(void) {
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, spin, NULL);
    pthread_join(t[0], NULL);
    return 0;
}
