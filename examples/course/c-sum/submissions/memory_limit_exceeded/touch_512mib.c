/* Reserves a 512 MiB buffer "for the input", 1 MiB at a time, writing every
   block (so the memory is really used), against a 64 MiB limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1 << 20)
#define BLOCKS 512

int main(void)
{
    static char *blocks[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(BLOCK);
        if (blocks[i] == NULL) {
            fprintf(stderr, "out of memory after %d MiB\n", i);
            return 1;
        }
        memset(blocks[i], 'x', BLOCK);
    }
    long long a, b;
    while (scanf("%lld %lld", &a, &b) == 2)
        printf("%lld\n", a + b);
    return blocks[BLOCKS - 1][0] == 'x' ? 0 : 2;
}
