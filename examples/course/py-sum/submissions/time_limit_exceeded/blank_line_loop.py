# Reads lines until a blank line, but the input ends without one: at end of
# file readline() returns "" (not "\n") forever, so this spins until killed.
import sys

lines = []
while True:
    line = sys.stdin.readline()
    if line == "\n":
        break
    lines.append(line)

tokens = " ".join(lines).split()
print(sum(int(t) for t in tokens[1:]))
