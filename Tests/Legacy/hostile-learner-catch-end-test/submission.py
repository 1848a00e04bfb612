def square(x, callback):
    for attempt in range(3):
        try:
            callback()
        except BaseException:
            continue
    return x * x
