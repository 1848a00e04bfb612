// Attack: integer division by zero (SIGFPE); the jail must report RE naming the signal.
#include <stdio.h>
int main(void) {
    volatile int one = 1, zero = 0;  // both volatile: a real idiv, not a constant-folded 1/x trick
    puts("about to divide by zero");
    fflush(stdout);
    printf("%d\n", one / zero);
    return 0;
}
