# Attack: allocate and touch 1 MiB bytearrays forever; the cgroup memory limit must stop it (MLE).
hog = []
while True:
    hog.append(bytearray(b"\x01") * (1 << 20))
