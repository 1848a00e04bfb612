def square(x, callback):
    return x * x
