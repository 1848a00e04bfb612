# Attack: AF_VSOCK sockets (talk to the hypervisor host from inside a VM); the family is deny-listed.
import errno, socket


def probe(label, family, kind, proto=0):
    try:
        s = socket.socket(family, kind, proto)
    except OSError as e:
        print("%s: %s" % (label, errno.errorcode.get(e.errno, e.errno)))
        return
    print("%s: OK (LEAK)" % label)
    s.close()


probe("AF_VSOCK stream", socket.AF_VSOCK, socket.SOCK_STREAM)
probe("AF_VSOCK dgram", socket.AF_VSOCK, socket.SOCK_DGRAM)
