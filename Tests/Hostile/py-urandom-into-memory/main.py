# Attack: read all of /dev/urandom (it never ends) into one bytes object; the memory limit must stop it (MLE).
with open("/dev/urandom", "rb") as f:
    data = f.read()
print(len(data))
