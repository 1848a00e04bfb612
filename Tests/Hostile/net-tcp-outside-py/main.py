# Attack: reach the outside world (8.8.8.8:53 over TCP, UDP and IPv6); with no interfaces it must fail immediately, nothing is sent.
import errno, socket, time


def attempt(label, family, kind, addr):
    start = time.monotonic()
    s = None
    try:
        s = socket.socket(family, kind)
        s.settimeout(1)
        s.connect(addr)  # for UDP this only picks a route; no packet is sent
        print("%s: connected (LEAK)" % label)
    except socket.timeout:
        print("%s: timeout (LEAK: a route existed)" % label)
    except OSError as e:
        took = time.monotonic() - start
        print("%s: %s%s" % (label, errno.errorcode.get(e.errno, e.errno), " (slow)" if took > 0.5 else ""))
    finally:
        if s is not None:
            s.close()


attempt("8.8.8.8:53 tcp", socket.AF_INET, socket.SOCK_STREAM, ("8.8.8.8", 53))
attempt("8.8.8.8:53 udp", socket.AF_INET, socket.SOCK_DGRAM, ("8.8.8.8", 53))
attempt("[2001:4860:4860::8888]:53 tcp", socket.AF_INET6, socket.SOCK_STREAM, ("2001:4860:4860::8888", 53))
