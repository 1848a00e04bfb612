# Attack: grow a file in /box without end (CPython ignores SIGXFSZ); RLIMIT_FSIZE must stop it at the limit with EFBIG.
import errno, os

total = 0
try:
    with open("big.bin", "wb", buffering=0) as f:
        while True:
            total += f.write(b"f" * 65536)
except OSError as e:
    print("write:", errno.errorcode.get(e.errno, e.errno), "after", total // 1024, "KiB")
print("size on disk:", os.stat("big.bin").st_size)
