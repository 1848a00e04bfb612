// Attack: open files until the descriptor table is full; RLIMIT_NOFILE (64-256) must stop it with EMFILE.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
int main(void) {
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("RLIMIT_NOFILE soft %llu hard %llu\n", (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
    long n = 0;
    while (open(n % 2 ? "/dev/null" : "/box/main", O_RDONLY) >= 0)
        n++;
    printf("open: %s after %ld files\n", strerrorname_np(errno), n);
    if (n > 4096)
        printf("LEAK: %ld descriptors open\n", n);
    return 0;
}
