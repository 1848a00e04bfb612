class  Node:
    pass


def make():
    return type(Node()).__name__
