# Attack: mount a tmpfs, bind /usr over /box, remount / and unmount /proc through ctypes; all must fail EPERM.
import ctypes, errno, os

libc = ctypes.CDLL(None, use_errno=True)


def probe(label, ret):
    print("%s: %s" % (label, "OK (LEAK)" if ret >= 0 else errno.errorcode.get(ctypes.get_errno(), "E?")))


os.makedirs("/box/mnt", exist_ok=True)
probe("mount", libc.mount(b"none", b"/box/mnt", b"tmpfs", 0, None))
probe("mount bind /usr", libc.mount(b"/usr", b"/box/mnt", None, 4096, None))  # MS_BIND
probe("mount remount /", libc.mount(None, b"/", None, 32 | 4096, None))  # MS_REMOUNT|MS_BIND
probe("umount2 /proc", libc.umount2(b"/proc", 2))  # MNT_DETACH
probe("fsopen", libc.syscall(430, b"tmpfs", 0))
