def square(x):
    while True:
        print('x' * 1000)
