# Attack: open files, pipes and dups until the descriptor table is full; RLIMIT_NOFILE must stop it with EMFILE.
import errno, os, resource

print("RLIMIT_NOFILE", resource.getrlimit(resource.RLIMIT_NOFILE))
fds = []
try:
    while True:
        fds.append(os.open("/dev/null", os.O_RDONLY))
        fds.extend(os.pipe())
        fds.append(os.dup(0))
except OSError as e:
    print("open:", errno.errorcode.get(e.errno, e.errno), "after", len(fds), "descriptors")
if len(fds) > 4096:
    print("LEAK:", len(fds), "descriptors open")
