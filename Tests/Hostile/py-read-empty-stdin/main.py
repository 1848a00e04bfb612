# Attack: block reading stdin that never delivers data; the run must end by EOF or the wall limit, never hang.
import sys

data = sys.stdin.buffer.read()
print("read", len(data), "bytes")
