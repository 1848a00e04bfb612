def iterPower(base, exp):
    total = 1
    count = 0
    while count < exp:
        total = total * base
        count += 1
    return total
