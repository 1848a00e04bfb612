def apply(callback, x):
    try:
        callback()
    except:
        pass
    return x * x
