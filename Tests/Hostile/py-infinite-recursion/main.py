# Attack: lift the recursion limit and recurse forever; memory or stack limits must end it (RE or MLE), never a hang.
import sys

sys.setrecursionlimit(1 << 30)


def f(n):
    return f(n + 1) + 1


f(0)
