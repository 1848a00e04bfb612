# Forgets to lower-case: "The" and "the" are counted as different words.
import collections
import re
import sys

for word, count in collections.Counter(re.findall(r"[A-Za-z]+", sys.stdin.read())).items():
    print(word, count)
