def sign(x):
    print(x)
    return (x > 0) - (x < 0)
