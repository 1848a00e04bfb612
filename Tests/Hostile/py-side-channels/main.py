# Attack: leave state for a later run (files in /tmp and /dev/shm, abstract UNIX socket, SysV shm/msg/sem, a lock) and look for a previous run's.
import ctypes, errno, fcntl, os, socket

libc = ctypes.CDLL(None, use_errno=True)
KEY = 0x50475244  # "PGRD"
IPC_CREAT = 0o1000


def err(e):
    return errno.errorcode.get(e, str(e))


for path in ("/tmp/polygrader-side-channel", "/dev/shm/polygrader-side-channel"):
    if os.path.exists(path):
        print("%s: found (LEAK: state from a previous run)" % path)
    try:
        with open(path, "w") as f:
            f.write("left by a previous run\n")
        print("%s: planted" % path)
    except OSError as e:
        print("%s: %s" % (path, err(e.errno)))
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect("\0polygrader-side-channel")
    print("abstract socket: connected (LEAK: a previous run's listener)")
except OSError as e:
    print("abstract socket connect:", err(e.errno))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind("\0polygrader-side-channel")
    s.listen(1)
    print("abstract socket: listening")
for kind, get, args in (("shm", libc.shmget, (4096,)), ("msg", libc.msgget, ()), ("sem", libc.semget, (1,))):
    if get(KEY, *args, 0) >= 0:
        print("SysV %s: found (LEAK: object from a previous run)" % kind)
    ident = get(KEY, *args, IPC_CREAT | 0o666)
    print("SysV %s: %s" % (kind, "created" if ident >= 0 else err(ctypes.get_errno())))
lock = open("/tmp/polygrader-side-channel.lock", "w")
fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
print("lock taken; done")
