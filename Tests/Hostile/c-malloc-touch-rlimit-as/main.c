// Attack: malloc 1 MiB blocks and touch every byte until something gives; the cgroup memory limit must stop it (MLE).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    for (size_t mib = 0;; mib++) {
        char *p = malloc(1 << 20);
        if (p == NULL) {
            printf("malloc returned NULL after %zu MiB\n", mib);
            return 3;
        }
        memset(p, 1, 1 << 20);
    }
}
