# Attack: raw IP sockets (spoofing, sniffing, ICMP) and unprivileged ICMP ping sockets; no CAP_NET_RAW, no ping group.
import errno, socket


def probe(label, family, kind, proto=0):
    try:
        s = socket.socket(family, kind, proto)
    except OSError as e:
        print("%s: %s" % (label, errno.errorcode.get(e.errno, e.errno)))
        return
    print("%s: OK (LEAK)" % label)
    s.close()


probe("raw AF_INET ICMP", socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
probe("raw AF_INET TCP", socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
probe("raw AF_INET IPPROTO_RAW", socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
probe("raw AF_INET6 ICMPV6", socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
probe("ping socket AF_INET ICMP dgram", socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
