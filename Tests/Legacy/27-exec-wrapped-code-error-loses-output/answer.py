print(n)
