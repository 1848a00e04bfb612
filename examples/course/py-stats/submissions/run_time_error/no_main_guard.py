# Works as a program, but reads stdin at import time (no `if __name__ ==
# "__main__":` guard): when pytest imports the module, reading stdin raises
# OSError, the test file fails to collect, and no unit test is reported.
import math
import sys


def mean(xs):
    if not xs:
        raise ValueError("mean of an empty list")
    return sum(xs) / len(xs)


def stdev(xs):
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))


xs = [float(t) for t in sys.stdin.read().split()]
print(f"{mean(xs):.6f} {stdev(xs):.6f}")
