def show():
    print("0123456789")
