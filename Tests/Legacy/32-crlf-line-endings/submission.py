x = 1


def get():
    return x
