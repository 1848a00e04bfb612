// Attack: double-fork daemon that outlives its parent and keeps writing and spinning; pid-ns teardown must kill it.
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t child = fork();
    if (child == 0) {
        if (fork() == 0) {  // grandchild: orphaned, reparented to pid 1
            int fd = open("/tmp/daemon.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
            for (unsigned long i = 0;; i++)
                if ((i & 0xffffff) == 0) {
                    dprintf(fd, "tick %lu\n", i);
                    printf("daemon tick\n");
                }
        }
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("parent exiting\n");
    return 0;
}
