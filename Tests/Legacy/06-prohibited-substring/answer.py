def calc(s):
    a, b = s.split("+")
    return int(a) + int(b)
