def show():
    print("a")
    print("b")
