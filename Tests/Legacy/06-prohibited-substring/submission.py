def calc(s):
    return eval(s)
