# Attack: netlink sockets (routing, audit, uevents, sock_diag, generic: a large kernel attack surface); the family is deny-listed.
import errno, socket


def probe(label, family, kind, proto=0):
    try:
        s = socket.socket(family, kind, proto)
    except OSError as e:
        print("%s: %s" % (label, errno.errorcode.get(e.errno, e.errno)))
        return
    print("%s: OK (LEAK)" % label)
    s.close()


for name, proto in (("NETLINK_ROUTE", 0), ("NETLINK_SOCK_DIAG", 4), ("NETLINK_AUDIT", 9), ("NETLINK_KOBJECT_UEVENT", 15),
                    ("NETLINK_GENERIC", 16), ("NETLINK_NETFILTER", 12), ("NETLINK_XFRM", 6)):
    probe("AF_NETLINK %s raw" % name, socket.AF_NETLINK, socket.SOCK_RAW, proto)
    probe("AF_NETLINK %s dgram" % name, socket.AF_NETLINK, socket.SOCK_DGRAM, proto)
