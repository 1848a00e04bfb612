# Prints Python's shortest repr (e.g. "2.5 1.118033988749895"): the floats
# checker compares numbers within tolerance, not text.
import statistics
import sys


def mean(xs):
    if not xs:
        raise ValueError("no data")
    return statistics.fmean(xs)


def stdev(xs):
    if not xs:
        raise ValueError("no data")
    return statistics.pstdev(xs)


if __name__ == "__main__":
    data = [float(t) for t in sys.stdin.read().split()]
    print(mean(data), stdev(data))
