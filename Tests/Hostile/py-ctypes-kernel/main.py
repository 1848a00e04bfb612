# Attack: reach kernel attack surface through ctypes: bpf, perf_event_open, userfaultfd, io_uring, keyctl, clone/clone3
# with namespace flags, clock setting, real-time scheduling, raising hard limits, TIOCSTI. Harmless arguments only.
import ctypes, errno, fcntl, os, resource, struct, termios, time

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
SIGCHLD, CLONE_NEWUSER, CLONE_NEWNS = 17, 0x10000000, 0x20000


def probe(label, ret):
    if ret == 0 and label.startswith("clone"):
        os._exit(0)  # we are a child that should never have been created
    print("%s: %s" % (label, "OK (LEAK)" if ret >= 0 else errno.errorcode.get(ctypes.get_errno(), "E?")))
    if ret > 0 and label.startswith("clone"):
        os.waitpid(ret, 0)


bpf_attr = ctypes.create_string_buffer(struct.pack("IIII", 2, 4, 4, 1), 128)  # BPF_MAP_TYPE_ARRAY
probe("bpf", libc.syscall(321, 0, bpf_attr, 128))
perf_attr = ctypes.create_string_buffer(struct.pack("IIQ", 1, 128, 0) + bytes(24) + struct.pack("Q", 0x60), 128)
probe("perf_event_open", libc.syscall(298, perf_attr, 0, -1, -1, 0))
probe("userfaultfd", libc.syscall(323, os.O_CLOEXEC | 1))
probe("io_uring_setup", libc.syscall(425, 2, ctypes.create_string_buffer(120)))
probe("keyctl", libc.syscall(250, 0, -3, 0))
probe("add_key", libc.syscall(248, b"user", b"polygrader", b"x", 1, -2))
probe("clone(CLONE_NEWUSER)", libc.syscall(56, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0))
probe("clone(CLONE_NEWNS)", libc.syscall(56, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0))
clone_args = ctypes.create_string_buffer(struct.pack("QQQQQQQQ", CLONE_NEWUSER, 0, 0, 0, SIGCHLD, 0, 0, 0), 64)
probe("clone3(CLONE_NEWUSER)", libc.syscall(435, clone_args, 64))
now = struct.pack("qq", int(time.time()), 0)
probe("settimeofday", libc.syscall(164, ctypes.create_string_buffer(now, 16), None))
probe("clock_settime", libc.syscall(227, 0, ctypes.create_string_buffer(struct.pack("qq", int(time.time()), 0), 16)))
probe("sched_setscheduler(SCHED_FIFO)", libc.sched_setscheduler(0, 1, ctypes.byref(ctypes.c_int(50))))
probe("syslog(SIZE_BUFFER)", libc.syscall(103, 10, None, 0))
for name in ("RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_FSIZE"):
    res = getattr(resource, name)
    soft, hard = resource.getrlimit(res)
    try:
        resource.setrlimit(res, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        print("raise %s hard (was %d): %s" % (name, hard, "OK (LEAK)" if hard != resource.RLIM_INFINITY else "was unlimited"))
    except ValueError as e:  # CPython turns EPERM into ValueError("not allowed to raise maximum limit")
        print("raise %s hard: ValueError: %s" % (name, e))
    except OSError as e:
        print("raise %s hard: %s" % (name, errno.errorcode.get(e.errno, e.errno)))
for fd in (0, 1, 2):
    try:
        fcntl.ioctl(fd, termios.TIOCSTI, b"x")
        print("TIOCSTI on %d: OK (LEAK)" % fd)
    except OSError as e:
        print("TIOCSTI on %d: %s" % (fd, errno.errorcode.get(e.errno, e.errno)))
