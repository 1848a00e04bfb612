// Attack: block reading stdin that never delivers data; the run must end by EOF or the wall limit, never hang.
#include <stdio.h>
#include <unistd.h>
int main(void) {
    char buf[4096];
    ssize_t n, total = 0;
    while ((n = read(0, buf, sizeof buf)) > 0)
        total += n;
    printf("read returned %zd after %zd bytes\n", n, total);
    return 0;
}
