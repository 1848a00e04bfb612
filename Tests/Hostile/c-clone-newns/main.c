// Attack: raw clone() with namespace flags (CLONE_NEWUSER gives full capabilities inside); the filter sees the flags and refuses.
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
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
static void try_clone(const char *what, unsigned long flags) {  // raw clone: fork semantics, flags visible to the filter
    long r = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (r == 0)
        syscall(SYS_exit_group, 0);  // the child: leave at once
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    probe(what, r);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    try_clone("clone(CLONE_NEWUSER)", CLONE_NEWUSER);
    try_clone("clone(CLONE_NEWUSER|CLONE_NEWNS)", CLONE_NEWUSER | CLONE_NEWNS);
    try_clone("clone(CLONE_NEWNS)", CLONE_NEWNS);
    try_clone("clone(CLONE_NEWPID)", CLONE_NEWPID);
    try_clone("clone(CLONE_NEWNET)", CLONE_NEWNET);
    try_clone("clone(CLONE_NEWIPC)", CLONE_NEWIPC);
    try_clone("clone(CLONE_NEWUTS)", CLONE_NEWUTS);
    try_clone("clone(CLONE_NEWCGROUP)", CLONE_NEWCGROUP);
    long r = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);  // a plain fork through raw clone is allowed
    if (r == 0)
        syscall(SYS_exit_group, 0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    printf("clone(plain): %s\n", r > 0 ? "OK" : en(errno));
    return 0;
}
