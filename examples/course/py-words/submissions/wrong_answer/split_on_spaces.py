# Splits on whitespace only, so punctuation sticks to words ("hello," != "hello").
import collections
import sys

for word, count in collections.Counter(sys.stdin.read().lower().split()).items():
    print(word, count)
