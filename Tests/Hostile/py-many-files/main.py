# Attack: create empty files and directories without end in /tmp; the tmpfs inode limit (1024) must stop it with ENOSPC.
import errno, os

n = 0
try:
    while True:
        os.mkdir("/tmp/d%06d" % n) if n % 2 else open("/tmp/f%06d" % n, "x").close()
        n += 1
except OSError as e:
    print("/tmp:", errno.errorcode.get(e.errno, e.errno), "after", n, "entries")
if n > 1024:
    print("LEAK:", n, "entries in /tmp, over its 1024 inodes")
