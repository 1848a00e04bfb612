# Attack: become root or leave the jail through ctypes: setuid(0), setgroups, chroot, pivot_root, unshare, setns, ptrace.
import ctypes, errno, os

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWPID = 0x20000, 0x10000000, 0x40000000, 0x20000000


def probe(label, ret):
    print("%s: %s" % (label, "OK (LEAK)" if ret >= 0 else errno.errorcode.get(ctypes.get_errno(), "E?")))


probe("setuid(0)", libc.setuid(0))
probe("setresuid(0,0,0)", libc.setresuid(0, 0, 0))
probe("setgid(0)", libc.setgid(0))
probe("setgroups([0])", libc.setgroups(1, ctypes.byref(ctypes.c_uint(0))))
probe("chroot(/tmp)", libc.chroot(b"/tmp"))
probe("pivot_root", libc.syscall(155, b"/tmp", b"/tmp"))
probe("unshare(CLONE_NEWUSER)", libc.unshare(CLONE_NEWUSER))
probe("unshare(CLONE_NEWNS)", libc.unshare(CLONE_NEWNS))
probe("unshare(CLONE_NEWNET)", libc.unshare(CLONE_NEWNET))
probe("unshare(CLONE_NEWPID)", libc.unshare(CLONE_NEWPID))
probe("setns(net)", libc.setns(os.open("/proc/self/ns/net", os.O_RDONLY), 0))
probe("ptrace(TRACEME)", libc.ptrace(0, 0, None, None))
probe("ptrace(ATTACH, 1)", libc.ptrace(16, 1, None, None))
probe("ptrace(ATTACH, ppid)", libc.ptrace(16, os.getppid(), None, None))
probe("sethostname", libc.sethostname(b"pwned", 5))
print("ids", os.getresuid(), os.getresgid(), os.getgroups(), "LEAK" if 0 in os.getresuid() else "")
