/* Keeps every sum in an 800 MB static table: the executable's loadable
   segments (its .bss) alone exceed the 64 MiB limit, so it is never run. */
#include <stdio.h>

static long long table[100000000];

int main(void)
{
    long long a, b;
    int n = 0;
    while (n < 100000000 && scanf("%lld %lld", &a, &b) == 2)
        table[n++] = a + b;
    for (int i = 0; i < n; i++)
        printf("%lld\n", table[i]);
    return 0;
}
