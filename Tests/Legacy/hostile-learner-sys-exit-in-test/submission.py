import sys


def square(x):
    if x < 0:
        sys.exit(3)
    return x * x
