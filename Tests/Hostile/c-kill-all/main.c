// Attack: kill(-1), kill and stop pid 1 and our parent; the jail's init must survive and the run end normally.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
__attribute__((unused)) static void probe(const char *what, long r) {  // a forbidden call that succeeds is a LEAK
    if (r < 0)
        printf("%s: %s\n", what, en(errno));
    else
        printf("%s: OK (LEAK) %ld\n", what, r);
}
#include <signal.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("pid %d ppid %d\n", getpid(), getppid());
    probe("kill(-1, SIGKILL)", kill(-1, SIGKILL));
    probe("kill(1, SIGKILL)", kill(1, SIGKILL));
    probe("kill(1, SIGSTOP)", kill(1, SIGSTOP));
    probe("kill(getppid(), SIGTERM)", kill(getppid(), SIGTERM));
    probe("kill(-1, SIGSTOP)", kill(-1, SIGSTOP));
    printf("survived\n");
    return 0;
}
