/* Uses int: correct while the sums fit in 32 bits, wrong beyond (the sum
   wraps modulo 2^32, written out with unsigned to avoid signed overflow). */
#include <stdio.h>

int main(void)
{
    int a, b;
    while (scanf("%d %d", &a, &b) == 2)
        printf("%d\n", (int)((unsigned)a + (unsigned)b));
    return 0;
}
