// Attack: a daemon that outlives the program and then makes a syscall outside the strict allow
// list. The run must end with the program: everything left is killed at once, so the daemon
// never gets an answer (a closed notification listener would answer ENOSYS and let it spin on).
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    if (pipe(p) < 0) return 1;
    pid_t child = fork();
    if (child == 0) {
        if (fork() == 0) {  // the daemon: reparented to pid 1 when the middle process exits
            close(p[1]);
            char c;
            while (read(p[0], &c, 1) > 0) {}  // EOF: the program (the only writer left) has exited
            struct timespec t = {1, 0};
            nanosleep(&t, NULL);  // ample time for the jail to end the run
            long r = syscall(SYS_sync);  // outside native's allow list
            printf("daemon: sync returned %ld %s (LEAK)\n", r, r < 0 ? strerrorname_np(errno) : "");
            for (;;) {}
        }
        _exit(0);
    }
    close(p[0]);
    waitpid(child, NULL, 0);
    printf("parent exiting\n");
    return 0;
}
