/* `while (scanf(...))` is true at end of file too (scanf returns EOF, -1):
   the last sum is printed forever, until the 1 MiB output limit. */
#include <stdio.h>

int main(void)
{
    long long a = 0, b = 0;
    while (scanf("%lld %lld", &a, &b))
        printf("%lld\n", a + b);
    return 0;
}
