/* reverse_bits uses a byte table that init_table() should fill, but nothing
   calls init_table(): the table pointer is still NULL and reverse_bits
   crashes with a segmentation fault (test 6); tests 7 and 8 never run. */
#include <stdlib.h>

#include "bits.h"

static unsigned char *reversed_byte;

void init_table(void)
{
    reversed_byte = malloc(256);
    for (int b = 0; b < 256; b++) {
        int r = 0;
        for (int i = 0; i < 8; i++)
            r |= ((b >> i) & 1) << (7 - i);
        reversed_byte[b] = (unsigned char)r;
    }
}

int popcount(uint32_t x)
{
    int n = 0;
    for (; x != 0; x >>= 1)
        n += x & 1u;
    return n;
}

int parity(uint32_t x)
{
    return popcount(x) & 1;
}

int highest_bit(uint32_t x)
{
    int i = -1;
    for (; x != 0; x >>= 1)
        i++;
    return i;
}

uint32_t reverse_bits(uint32_t x)
{
    return (uint32_t)reversed_byte[x & 0xFFu] << 24 | (uint32_t)reversed_byte[(x >> 8) & 0xFFu] << 16
         | (uint32_t)reversed_byte[(x >> 16) & 0xFFu] << 8 | (uint32_t)reversed_byte[x >> 24];
}

uint32_t rotate_left(uint32_t x, unsigned k)
{
    k %= 32;
    return k == 0 ? x : (x << k) | (x >> (32 - k));
}
