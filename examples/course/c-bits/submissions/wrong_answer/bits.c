/* Two mistakes: reverse_bits reverses the bytes, not the bits, and
   rotate_left gives 0 for k >= 32 instead of reducing k modulo 32. */
#include "bits.h"

int popcount(uint32_t x)
{
    int n = 0;
    for (int i = 0; i < 32; i++)
        n += (x >> i) & 1u;
    return n;
}

int parity(uint32_t x)
{
    return popcount(x) % 2;
}

int highest_bit(uint32_t x)
{
    for (int i = 31; i >= 0; i--)
        if (x & (1u << i))
            return i;
    return -1;
}

uint32_t reverse_bits(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xFF00u) | ((x << 8) & 0xFF0000u) | (x << 24);
}

uint32_t rotate_left(uint32_t x, unsigned k)
{
    if (k == 0)
        return x;
    if (k >= 32)
        return 0;
    return (x << k) | (x >> (32 - k));
}
