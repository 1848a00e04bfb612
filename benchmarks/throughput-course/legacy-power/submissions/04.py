def iterPower(base, exp):
    if exp == 0:
        return 1
    out = base
    for _ in range(exp - 1):
        out *= base
    return out
