// Attack: crash with a NULL write (SIGSEGV); the jail must report RE naming the signal, not an internal error.
#include <stdio.h>
int main(void) {
    puts("about to crash");
    fflush(stdout);
    int *volatile p = NULL;  // volatile: the compiler cannot turn this into a trap instruction
    *p = 42;
    return 0;
}
