# Attack: hunt for host secrets, grader code, other runs' boxes and polygrader's config; nothing may be readable.
import errno, os

FILES = ["/etc/shadow", "/etc/sudoers", "/root/.ssh/id_rsa", "/root/.bash_history", "/etc/xqwatcher.json",
         "/etc/polygrader/config.yml", "/proc/1/root/etc/shadow", "/proc/1/environ", "/proc/1/cmdline",
         "/proc/1/cwd/.", "/var/run/docker.sock", "/run/secrets/token", "/etc/machine-id"]
DIRS = ["/root", "/home", "/work", "/work/shared", "/work/main", "/srv", "/opt", "/var", "/var/lib",
        "/var/lib/polygrader", "/etc/polygrader", "/run", "/mnt", "/media", "/sys", "/sys/fs/cgroup", "/boot",
        "/proc/1/root", "/proc/1/cwd", "/proc/1/fd", "/box/..", "/tmp/.."]
SAFE_ROOT = {"box", "tmp", "dev", "proc", "usr", "bin", "lib", "lib32", "lib64", "libx32", "sbin", "etc"}


def name(e):
    return errno.errorcode.get(e.errno, str(e.errno))


for path in FILES:
    try:
        with open(path, "rb") as f:
            print("read %s: %d bytes (LEAK)" % (path, len(f.read(64))))
    except OSError as e:
        print("open %s: %s" % (path, name(e)))
for path in DIRS:
    try:
        entries = sorted(os.listdir(path))
    except OSError as e:
        print("list %s: %s" % (path, name(e)))
        continue
    if os.path.realpath(path) == "/":
        entries = [x for x in entries if x not in SAFE_ROOT]
    print("list %s: %d entries%s %s" % (path, len(entries), " (LEAK)" if entries else "", entries[:20]))
