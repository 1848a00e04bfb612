def iterPower(base, exp):
    # multiply base by itself exp times
    value = 1.0 if isinstance(base, float) else 1
    i = exp
    while i > 0:
        value *= base
        i -= 1
    return value
