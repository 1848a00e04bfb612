// Attack: grow a file in /box without end; RLIMIT_FSIZE must kill it with SIGXFSZ (OLE, file_size).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    static char chunk[64 << 10];
    memset(chunk, 'f', sizeof chunk);
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("big.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (size_t kib = 64;; kib += 64) {
        if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk)
            return 2;
        printf("wrote %zu KiB\n", kib);
    }
}
