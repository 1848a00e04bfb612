# Attack: AF_PACKET sockets (sniff or inject link-layer frames); deny-listed family and no CAP_NET_RAW.
import errno, socket


def probe(label, family, kind, proto=0):
    try:
        s = socket.socket(family, kind, proto)
    except OSError as e:
        print("%s: %s" % (label, errno.errorcode.get(e.errno, e.errno)))
        return
    print("%s: OK (LEAK)" % label)
    s.close()


probe("AF_PACKET SOCK_RAW", socket.AF_PACKET, socket.SOCK_RAW, 0x0300)  # htons(ETH_P_ALL)
probe("AF_PACKET SOCK_DGRAM", socket.AF_PACKET, socket.SOCK_DGRAM, 0x0300)
probe("AF_PACKET SOCK_RAW proto 0", socket.AF_PACKET, socket.SOCK_RAW, 0)
