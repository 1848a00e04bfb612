def f(s, n):
    return len(s)
