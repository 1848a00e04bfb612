def iterPower(base, exp):
    return base * exp
