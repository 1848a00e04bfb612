// Attack: crash with a NULL write (SIGSEGV); the jail must report RE naming the signal, not an internal error.
#include <stdio.h>
int main(void) {
    puts("about to crash");
    fflush(stdout);
    volatile int *volatile p = NULL;  // volatile twice: no trap instruction, no dead-store removal
    *p = 42;
    return 0;
}
