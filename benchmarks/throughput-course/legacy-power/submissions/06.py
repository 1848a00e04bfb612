def helper(a, b):
    return a * b

def iterPower(base, exp):
    r = 1
    for k in range(1, exp + 1):
        r = helper(r, base)
    return r
