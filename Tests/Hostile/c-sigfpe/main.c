// Attack: integer division by zero (SIGFPE); the jail must report RE naming the signal.
#include <stdio.h>
int main(void) {
    volatile int zero = 0;
    puts("about to divide by zero");
    fflush(stdout);
    printf("%d\n", 1 / zero);
    return 0;
}
