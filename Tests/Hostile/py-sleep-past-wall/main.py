# Attack: sleep far past the wall limit without using CPU; the wall clock must fire (TLE, wall).
import time

time.sleep(10)
