def show():
    print("a")
    print("b")
    print("c")
