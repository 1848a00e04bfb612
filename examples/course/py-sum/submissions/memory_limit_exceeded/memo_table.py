# Builds a 512 MiB "memo table" before reading the input: every 1 MiB block
# is filled with data, so the memory is really touched (64 MiB limit).
import sys

block = bytes(range(256)) * 4096          # 1 MiB of non-zero bytes
table = []
for _ in range(512):
    table.append(bytearray(block))

tokens = sys.stdin.read().split()
n = int(tokens[0])
print(sum(int(t) for t in tokens[1:1 + n]) + len(table) * 0)
