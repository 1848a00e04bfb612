// Attack: one huge malloc under rlimit-as fails untouched, then a NULL write; no memory was used, so this is RE (SIGSEGV), never MLE.
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    volatile char *volatile p = malloc((size_t)1 << 30);
    printf("malloc(1 GiB): %s\n", p ? "a pointer" : "NULL");
    p[0] = 1;  // NULL when RLIMIT_AS refused the allocation
    return 0;
}
