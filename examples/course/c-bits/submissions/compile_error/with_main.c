/* Correct functions, but the learner left their own main() in: linking it
   with the test harness fails with "multiple definition of `main'". */
#include <stdio.h>

#include "bits.h"

int popcount(uint32_t x)
{
    return __builtin_popcount(x);
}

int parity(uint32_t x)
{
    return __builtin_parity(x);
}

int highest_bit(uint32_t x)
{
    return x == 0 ? -1 : 31 - __builtin_clz(x);
}

uint32_t reverse_bits(uint32_t x)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++)
        r |= ((x >> i) & 1u) << (31 - i);
    return r;
}

uint32_t rotate_left(uint32_t x, unsigned k)
{
    k &= 31;
    return k == 0 ? x : (x << k) | (x >> (32 - k));
}

int main(void)
{
    printf("%d %d\n", popcount(255), highest_bit(255));
    return 0;
}
