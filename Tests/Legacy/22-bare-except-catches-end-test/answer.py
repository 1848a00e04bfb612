def apply(callback, x):
    return x * x
