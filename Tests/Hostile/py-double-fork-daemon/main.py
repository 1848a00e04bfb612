# Attack: classic daemonize (fork, setsid, fork, ignore SIGHUP/SIGTERM) that keeps spinning and writing after the parent exits.
import os, signal, sys, time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for s in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            signal.signal(s, signal.SIG_IGN)
        with open("/tmp/daemon.log", "a") as log:
            n = 0
            while True:
                n += 1
                if n % 200000 == 0:
                    log.write("tick %d\n" % n)
                    log.flush()
                    os.write(1, b"daemon tick\n")
    os._exit(0)
time.sleep(0.1)
print("parent exiting", flush=True)
