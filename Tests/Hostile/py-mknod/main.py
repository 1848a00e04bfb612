# Attack: create device nodes with os.mknod (disk, /dev/mem) to reach hardware; no CAP_MKNOD and nodev must stop it.
import errno, os, stat

for path, kind, major, minor in (("/box/sda", stat.S_IFBLK, 8, 0), ("/box/vda", stat.S_IFBLK, 253, 0),
                                 ("/box/mem", stat.S_IFCHR, 1, 1), ("/tmp/port", stat.S_IFCHR, 1, 4)):
    try:
        os.mknod(path, kind | 0o666, os.makedev(major, minor))
    except OSError as e:
        print("mknod %s: %s" % (path, errno.errorcode.get(e.errno, e.errno)))
        continue
    print("mknod %s: OK (LEAK)" % path)
    try:
        os.close(os.open(path, os.O_RDONLY))
        print("open %s: OK (LEAK)" % path)
    except OSError as e:
        print("open %s: %s" % (path, errno.errorcode.get(e.errno, e.errno)))
os.mkfifo("/box/fifo")  # a FIFO is not a device and is allowed
print("mkfifo /box/fifo: OK")
