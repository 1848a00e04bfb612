import math
import sys


def mean(xs):
    if not xs:
        raise ValueError("mean of an empty list")
    return sum(xs) / len(xs)


def stdev(xs):
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs)


if __name__ == "__main__":
    xs = [float(t) for t in sys.stdin.read().split()]
    print(f"{mean(xs):.6f} {stdev(xs):.6f}")
