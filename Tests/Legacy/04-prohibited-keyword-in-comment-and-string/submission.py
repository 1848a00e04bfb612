# import math
s = "import"


def double(x):
    return x + x
