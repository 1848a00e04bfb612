# Attack: read os.environ, /proc/self and /proc/1 (environ, cmdline, status) for host secrets, pids and paths.
import errno, os

for key, value in sorted(os.environ.items()):
    extra = "" if key in ("PATH", "HOME", "TMPDIR", "LANG") else " (LEAK: unexpected variable)"
    print("env| %s=%s%s" % (key, value, extra))
for path in ("/proc/self/environ", "/proc/1/environ", "/proc/1/cmdline", "/proc/1/status", "/proc/self/cmdline",
             "/proc/self/status", "/proc/self/mountinfo", "/proc/self/cgroup", "/proc/self/loginuid"):
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 16)
    except OSError as e:
        print("%s: %s" % (path, errno.errorcode.get(e.errno, e.errno)))
        continue
    for line in data.replace(b"\0", b"\n").decode("utf-8", "replace").splitlines():
        print("%s| %s" % (path, line))
print("uid", os.getresuid(), "gid", os.getresgid(), "groups", os.getgroups())
if 0 in os.getresuid() + os.getresgid() or os.getgroups():
    print("LEAK: root ids or supplementary groups")
print("ppid", os.getppid(), "pid", os.getpid())
