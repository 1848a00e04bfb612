def third():
    return 0.3334
