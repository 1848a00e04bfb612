/* A plain unit-test harness writing TAP to the file named by $POLYGRADER_REPORT
   (stdout when run by hand), with $POLYGRADER_NONCE in a comment: polygrader
   counts a report only if it carries this run's nonce (docs/unit-suites.md).
   The stream is unbuffered so that the lines written before a crash or a
   time-out still reach the grader. */
#include <stdio.h>
#include <stdlib.h>

#include "bits.h"

static FILE *tap;
static int number;
static int failures;

static void check(int passed, const char *name)
{
    number++;
    if (!passed)
        failures++;
    fprintf(tap, "%sok %d - %s\n", passed ? "" : "not ", number, name);
}

static int highest_bit_powers(void)
{
    for (int i = 0; i < 32; i++)
        if (highest_bit(1u << i) != i)
            return 0;
    return highest_bit(0xFFFFFFFFu) == 31 && highest_bit(6) == 2;
}

int main(void)
{
    const char *report = getenv("POLYGRADER_REPORT");
    const char *nonce = getenv("POLYGRADER_NONCE");
    tap = report ? fopen(report, "w") : stdout;
    if (tap == NULL) {
        perror("cannot open the TAP report");
        return 2;
    }
    setvbuf(tap, NULL, _IONBF, 0);
    fprintf(tap, "# nonce %s\n1..8\n", nonce ? nonce : "none");
    check(popcount(0) == 0 && popcount(0xB) == 3, "popcount_small");
    check(popcount(0xFFFFFFFFu) == 32 && popcount(0x80000000u) == 1, "popcount_all_ones");
    check(parity(7) == 1 && parity(6) == 0 && parity(0x80000001u) == 0, "parity");
    check(highest_bit_powers(), "highest_bit_powers");
    check(highest_bit(0) == -1, "highest_bit_zero");
    check(reverse_bits(1) == 0x80000000u && reverse_bits(0xFu) == 0xF0000000u
          && reverse_bits(0x12345678u) == 0x1E6A2C48u, "reverse_bits");
    check(rotate_left(0x80000001u, 1) == 3u && rotate_left(0x12345678u, 8) == 0x34567812u, "rotate_left");
    check(rotate_left(0xDEADBEEFu, 0) == 0xDEADBEEFu && rotate_left(0xDEADBEEFu, 32) == 0xDEADBEEFu
          && rotate_left(1, 33) == 2u, "rotate_left_by_0_and_32");
    return failures == 0 ? 0 : 1;
}
