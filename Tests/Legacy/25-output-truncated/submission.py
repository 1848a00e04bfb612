def show():
    print("x" * 6000)
