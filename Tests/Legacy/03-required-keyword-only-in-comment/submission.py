def total(xs):
    # a for loop would be nicer
    s, i = 0, 0
    while i < len(xs):
        s += xs[i]
        i += 1
    return s
