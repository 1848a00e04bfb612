/* highest_bit scans down from bit 31 and wraps round to bit 31 after bit 0,
   forgetting that x may be 0: highest_bit(0) never returns (test 5). */
#include "bits.h"

int popcount(uint32_t x)
{
    int n = 0;
    while (x != 0) {
        n += x & 1u;
        x >>= 1;
    }
    return n;
}

int parity(uint32_t x)
{
    return popcount(x) & 1;
}

int highest_bit(uint32_t x)
{
    unsigned i = 31;
    for (;;) {
        if (x & (1u << i))
            return (int)i;
        i = (i + 31) % 32;
    }
}

uint32_t reverse_bits(uint32_t x)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++)
        if (x & (1u << i))
            r |= 1u << (31 - i);
    return r;
}

uint32_t rotate_left(uint32_t x, unsigned k)
{
    k %= 32;
    return k == 0 ? x : (x << k) | (x >> (32 - k));
}
