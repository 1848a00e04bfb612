// Attack: clone3(), whose flags live in memory the filter cannot read, with namespace flags; must be refused (ENOSYS) or killed.
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
#include <linux/sched.h>
#include <signal.h>
#include <sys/wait.h>
static void try_clone3(const char *what, unsigned long long flags) {  // clone3 hides its flags in memory: must be ENOSYS
    struct clone_args a;
    memset(&a, 0, sizeof a);
    a.flags = flags;
    a.exit_signal = SIGCHLD;
    long r = syscall(SYS_clone3, &a, sizeof a);
    if (r == 0)
        syscall(SYS_exit_group, 0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    probe(what, r);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    try_clone3("clone3(0)", 0);
    try_clone3("clone3(CLONE_NEWUSER)", CLONE_NEWUSER);
    try_clone3("clone3(CLONE_NEWNS)", CLONE_NEWNS);
    try_clone3("clone3(CLONE_NEWTIME)", 0x80);
    return 0;
}
