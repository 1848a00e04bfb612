def tens(x):
    return x * 10
