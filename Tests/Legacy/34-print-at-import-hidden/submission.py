print("debug-4e1f")


def square(x):
    return x * x
