// Attack: unshare every namespace (a user namespace grants full capabilities inside it) and setns into ours; all must fail.
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
#include <fcntl.h>
#include <sched.h>
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    probe("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
    probe("unshare(CLONE_NEWUSER|CLONE_NEWNS)", unshare(CLONE_NEWUSER | CLONE_NEWNS));
    probe("unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
    probe("unshare(CLONE_NEWNET)", unshare(CLONE_NEWNET));
    probe("unshare(CLONE_NEWPID)", unshare(CLONE_NEWPID));
    probe("unshare(CLONE_NEWIPC)", unshare(CLONE_NEWIPC));
    probe("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    probe("unshare(CLONE_NEWCGROUP)", unshare(CLONE_NEWCGROUP));
    probe("unshare(CLONE_NEWTIME)", unshare(0x80));
    int fd = open("/proc/self/ns/net", O_RDONLY);
    probe("setns(/proc/self/ns/net)", setns(fd, 0));
    return 0;
}
