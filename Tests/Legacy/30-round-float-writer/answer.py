def third():
    return 1 / 3
