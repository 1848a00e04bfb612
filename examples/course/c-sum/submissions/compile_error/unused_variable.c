/* Correct, but `count` is never used: a warning with -Wall, an error with the
   problem's extra -Werror. */
#include <stdio.h>

int main(void)
{
    long long a, b;
    int count;
    while (scanf("%lld %lld", &a, &b) == 2)
        printf("%lld\n", a + b);
    return 0;
}
