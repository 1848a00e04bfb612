def add3(a, b, c):
    return sum([a, b]) + c
