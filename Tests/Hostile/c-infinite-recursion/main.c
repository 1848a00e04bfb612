// Attack: unbounded recursion with a fat frame; RLIMIT_STACK must turn it into SIGSEGV (RE), not an unbounded stack.
#include <stdio.h>
static int depth(int n) {
    volatile char pad[512];
    pad[n % 512] = (char)n;
    if (n < 0)
        return 0;
    return depth(n + 1) + pad[n % 512];  // not a tail call
}
int main(void) {
    printf("%d\n", depth(0));
    return 0;
}
