# Attack: reach host services on 127.0.0.1 / ::1 (SSH, HTTP, databases, metrics); the run's empty network namespace has no usable loopback.
import errno, socket, time

for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    for port in (22, 80, 443, 3306, 5432, 6379, 8080, 9090, 11211, 27017):
        start = time.monotonic()
        s = None
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
            s.settimeout(1)
            s.connect((host, port))
            print("connect %s:%d: connected (LEAK)" % (host, port))
        except socket.timeout:
            print("connect %s:%d: timeout" % (host, port))
        except OSError as e:
            print("connect %s:%d: %s in %.2fs" % (host, port, errno.errorcode.get(e.errno, e.errno), time.monotonic() - start))
        finally:
            if s is not None:
                s.close()
