def greet():
    print("HELLO")
