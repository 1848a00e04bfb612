# Attack: print lines forever; the supervisor must stop at the output cap and kill (OLE, output).
i = 0
while True:
    print("line", i, "spam " * 8)
    i += 1
