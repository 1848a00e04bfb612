#ifndef BITS_H
#define BITS_H

#include <stdint.h>

int popcount(uint32_t x);                  /* number of 1 bits */
int parity(uint32_t x);                    /* 1 if popcount(x) is odd, else 0 */
int highest_bit(uint32_t x);               /* index (0..31) of the highest 1 bit; -1 if x == 0 */
uint32_t reverse_bits(uint32_t x);         /* bit 0 <-> bit 31, bit 1 <-> bit 30, ... */
uint32_t rotate_left(uint32_t x, unsigned k);  /* rotate by k mod 32 */

#endif
