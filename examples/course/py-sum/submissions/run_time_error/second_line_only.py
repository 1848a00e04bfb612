# Assumes the numbers are all on the second line: EOFError when n is 0 and
# there is no second line, and a wrong sum when the numbers span several lines.
n = int(input())
numbers = [int(t) for t in input().split()]
print(sum(numbers[:n]))
