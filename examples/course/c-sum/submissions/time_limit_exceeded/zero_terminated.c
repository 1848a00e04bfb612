/* Waits for a terminating "0 0" line, as in an older version of the problem.
   The input has none: at end of file scanf returns EOF forever and this spins. */
#include <stdio.h>

int main(void)
{
    long long a, b;
    for (;;) {
        if (scanf("%lld %lld", &a, &b) == 2) {
            if (a == 0 && b == 0)
                break;
            printf("%lld\n", a + b);
        }
    }
    return 0;
}
