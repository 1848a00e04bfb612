# Attack: flood stderr with a fake traceback forever; the stderr cap must fire (OLE, stderr).
import sys

print("stdout stays small", flush=True)
i = 0
while True:
    sys.stderr.write("Traceback (most recent call last): error %d\n" % i)
    i += 1
