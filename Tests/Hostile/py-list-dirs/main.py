# Attack: walk the jail's filesystem tree looking for host files (home dirs, grader code, other boxes, other processes).
import os

ROOT_OK = {"box", "tmp", "dev", "proc", "usr", "bin", "lib", "lib32", "lib64", "libx32", "sbin", "etc"}
DEV_OK = {"null", "zero", "full", "random", "urandom", "shm", "fd", "stdin", "stdout", "stderr"}
ETC_FORBIDDEN = {"shadow", "gshadow", "sudoers", "sudoers.d", "ssh", "polygrader", "xqwatcher.json", "ssl/private"}

for entry in sorted(os.listdir("/")):
    path = "/" + entry
    if entry in ROOT_OK:
        print(path)
    elif os.path.isdir(path) and not os.path.islink(path) and not os.listdir(path):
        print(path, "(extra, empty)")
    else:
        print(path, "(LEAK)")
for entry in sorted(os.listdir("/dev")):
    print("/dev/" + entry, "" if entry in DEV_OK else "(LEAK)")
for entry in sorted(os.listdir("/etc")):
    print("/etc/" + entry, "(LEAK)" if entry in ETC_FORBIDDEN else "")
for entry in sorted(os.listdir("/proc")):
    if entry.isdigit():
        uid = os.stat("/proc/" + entry).st_uid
        print("/proc/" + entry, "uid", uid, "(LEAK: another uid's process)" if uid != os.getuid() else "")
for entry in sorted(os.listdir("/tmp")):
    print("/tmp/" + entry, "(LEAK: left by someone else)")
# nothing under the binds may be writable by us (a sample: writability is per mount)
for top in ("/etc", "/usr/bin", "/usr/sbin", "/usr/local", "/usr/lib/python3", "/usr/share/zoneinfo"):
    for dirpath, dirnames, filenames in os.walk(top):
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            if not os.path.islink(p) and os.access(p, os.W_OK):
                print(p, "writable (LEAK)")
print("walk done")
