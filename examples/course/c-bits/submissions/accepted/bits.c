#include "bits.h"

int popcount(uint32_t x)
{
    int n = 0;
    while (x != 0) {
        x &= x - 1;
        n++;
    }
    return n;
}

int parity(uint32_t x)
{
    return popcount(x) & 1;
}

int highest_bit(uint32_t x)
{
    int i = -1;
    while (x != 0) {
        x >>= 1;
        i++;
    }
    return i;
}

uint32_t reverse_bits(uint32_t x)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++) {
        r = (r << 1) | (x & 1u);
        x >>= 1;
    }
    return r;
}

uint32_t rotate_left(uint32_t x, unsigned k)
{
    k %= 32;
    if (k == 0)
        return x;
    return (x << k) | (x >> (32 - k));
}
