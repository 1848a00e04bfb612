# Attack: crash the interpreter itself through ctypes (SIGSEGV); the jail must report RE naming the signal.
import ctypes

print("about to crash", flush=True)
ctypes.string_at(0)
