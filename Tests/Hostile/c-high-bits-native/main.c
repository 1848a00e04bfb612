// Attack: high 32 bits on the arguments the strict policy compares (clone flags, socket family,
// personality). The deny rules answer first (EPERM, or the profile's EACCES for sockets); the
// last call is outside the allow list and must kill the run (SV), never run.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#define HI (1ull << 32)
static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void refused(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, en(errno));
    else printf("%s: OK (LEAK) %ld\n", what, r);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long r = syscall(SYS_clone, HI | CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) syscall(SYS_exit_group, 0);
    if (r > 0) waitpid((pid_t)r, NULL, 0);
    refused("clone(HI|CLONE_NEWUSER)", r);
    r = syscall(SYS_clone, HI | CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) syscall(SYS_exit_group, 0);
    if (r > 0) waitpid((pid_t)r, NULL, 0);
    refused("clone(HI|CLONE_NEWNET)", r);
    refused("socket(HI|AF_NETLINK)", syscall(SYS_socket, HI | AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
    refused("personality(HI|ADDR_NO_RANDOMIZE)", syscall(SYS_personality, HI | ADDR_NO_RANDOMIZE));
    refused("modify_ldt(read)", syscall(SYS_modify_ldt, 0, (char[16]){0}, 16));
    // personality(query) is harmless but not in native's allow list: the run ends here.
    printf("querying personality\n");
    syscall(SYS_personality, HI | 0xffffffffUL);
    printf("LEAK: still running after a syscall outside the allow list\n");
    return 0;
}
