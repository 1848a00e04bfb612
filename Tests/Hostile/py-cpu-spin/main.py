# Attack: spin the CPU forever in Python; the CPU limit must fire (TLE, cpu).
n = 0
while True:
    n += 1
