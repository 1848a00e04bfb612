// Attack: read /dev/urandom (endless, incompressible) into a growing buffer; the memory limit must stop it (MLE).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(void) {
    int fd = open("/dev/urandom", O_RDONLY);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            char *p = realloc(buf, cap = cap ? cap * 2 : 1 << 20);
            if (p == NULL) {
                printf("realloc failed at %zu MiB\n", len >> 20);
                return 3;
            }
            buf = p;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n <= 0)
            return 2;
        len += (size_t)n;
    }
}
