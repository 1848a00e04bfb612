// Attack: set the high 32 bits of every argument the seccomp filter compares. The kernel reads
// these arguments as 32-bit ints, so (1ull << 32) | AF_NETLINK is AF_NETLINK to the kernel; a
// filter comparing all 64 bits would let it pass. Also families outside the allow list
// (AF_ALG, AF_VSOCK...), raw socket types, and ASLR-disabling personality flags.
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <errno.h>
#include <linux/netlink.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#define HI (1ull << 32)
static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
// Refused: prints the errno; a success is a LEAK.
static void refused(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, en(errno));
    else printf("%s: OK (LEAK) %ld\n", what, r);
}
static void sock(const char *what, unsigned long family, unsigned long type, unsigned long proto) {
    long s = syscall(SYS_socket, family, type, proto);
    refused(what, s);
    if (s >= 0) close((int)s);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sock("socket(HI|AF_NETLINK)", HI | AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    sock("socket(HI|AF_VSOCK)", HI | AF_VSOCK, SOCK_STREAM, 0);
    sock("socket(HI|AF_PACKET)", HI | AF_PACKET, SOCK_DGRAM, 0);
    sock("socket(AF_VSOCK)", AF_VSOCK, SOCK_STREAM, 0);
    sock("socket(AF_ALG)", AF_ALG, SOCK_SEQPACKET, 0);  // outside the allow list; the kernel would grant it
    sock("socket(HI|AF_ALG)", HI | AF_ALG, SOCK_SEQPACKET, 0);
    sock("socket(AF_UNIX, HI|SOCK_RAW)", AF_UNIX, HI | SOCK_RAW, 0);  // AF_UNIX takes SOCK_RAW as SOCK_DGRAM
    sock("socket(AF_UNIX, SOCK_PACKET)", AF_UNIX, SOCK_PACKET, 0);
    // Allowed families stay allowed, high bits or not: the kernel reads AF_UNIX.
    long s = syscall(SYS_socket, HI | AF_UNIX, SOCK_STREAM, 0);
    printf("socket(HI|AF_UNIX, SOCK_STREAM): %s\n", s >= 0 ? "works" : en(errno));
    if (s >= 0) close((int)s);
    char c = 'x';
    refused("ioctl(HI|TIOCSTI)", syscall(SYS_ioctl, 1, HI | TIOCSTI, &c));
    refused("ioctl(HI|TIOCLINUX)", syscall(SYS_ioctl, 1, HI | TIOCLINUX, &c));
    long r = syscall(SYS_clone, HI | CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) syscall(SYS_exit_group, 0);
    if (r > 0) waitpid((pid_t)r, NULL, 0);
    refused("clone(HI|CLONE_NEWUSER)", r);
    refused("personality(ADDR_NO_RANDOMIZE)", syscall(SYS_personality, ADDR_NO_RANDOMIZE));
    refused("personality(HI|ADDR_NO_RANDOMIZE)", syscall(SYS_personality, HI | ADDR_NO_RANDOMIZE));
    refused("personality(READ_IMPLIES_EXEC)", syscall(SYS_personality, READ_IMPLIES_EXEC));
    refused("personality(PER_LINUX32)", syscall(SYS_personality, PER_LINUX32));
    long q = syscall(SYS_personality, 0xffffffffUL);
    printf("personality(query): %s\n", q == PER_LINUX ? "PER_LINUX" : "LEAK changed");
    printf("personality(HI|PER_LINUX): %s\n", syscall(SYS_personality, HI | PER_LINUX) >= 0 ? "works" : en(errno));
    char ldt[16];
    refused("modify_ldt(read)", syscall(SYS_modify_ldt, 0, ldt, sizeof ldt));
    struct user_desc d = {.entry_number = 0, .limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1};
    refused("modify_ldt(write)", syscall(SYS_modify_ldt, 1, &d, sizeof d));
    return 0;
}
