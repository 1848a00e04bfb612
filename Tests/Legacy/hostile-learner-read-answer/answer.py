# SECRET-ANSWER-7f3a
def square(x):
    return x * x
