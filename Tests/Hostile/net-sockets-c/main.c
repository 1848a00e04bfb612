// Attack: open every kind of socket from native code (raw IP, packet, netlink, vsock, unix, IPv6); all must be refused.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
__attribute__((unused)) static const char *en(int e) { const char *s = strerrorname_np(e); return s ? s : "E?"; }
static void probe(const char *label, int family, int type, int proto) {
    int s = socket(family, type, proto);
    printf("%s: %s\n", label, s < 0 ? en(errno) : "OK (LEAK)");
    if (s >= 0)
        close(s);
}
int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    probe("AF_INET SOCK_RAW ICMP", AF_INET, SOCK_RAW, IPPROTO_ICMP);
    probe("AF_INET SOCK_DGRAM ICMP", AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    probe("AF_INET6 SOCK_STREAM", AF_INET6, SOCK_STREAM, 0);
    probe("AF_PACKET SOCK_RAW", AF_PACKET, SOCK_RAW, 0x0300);
    probe("AF_NETLINK NETLINK_ROUTE", AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    probe("AF_NETLINK NETLINK_AUDIT", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
    probe("AF_VSOCK SOCK_STREAM", AF_VSOCK, SOCK_STREAM, 0);
    probe("AF_UNIX SOCK_STREAM", AF_UNIX, SOCK_STREAM, 0);
    probe("AF_UNIX SOCK_DGRAM", AF_UNIX, SOCK_DGRAM, 0);
    return 0;
}
