import collections
import re
import sys


def main():
    words = re.findall(r"[a-z]+", sys.stdin.read().lower())
    for word, count in collections.Counter(words).most_common():
        print(word, count)


if __name__ == "__main__":
    main()
