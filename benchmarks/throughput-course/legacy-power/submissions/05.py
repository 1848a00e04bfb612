def iterPower(base, exp):
    product = 1
    while exp:
        product = product * base
        exp = exp - 1
    return product
