import collections
import re
import sys

counts = collections.Counter(re.findall(r"[a-z]+", sys.stdin.read().lower()))
for word, count in counts.items():
print(word, count)
