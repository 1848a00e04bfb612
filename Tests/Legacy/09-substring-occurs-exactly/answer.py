def add3(a, b, c):
    return a + b + c
