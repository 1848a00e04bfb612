import os
import time

from grader_support import gradelib

# Fork a daemon at import (so in the course process and twice in the learner's jail) that outlives it.
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for fd in range(3):
            os.close(fd)
        while True:
            try:
                with open("/tmp/legacy-grader-daemon-alive", "a") as f:
                    f.write("tick\n")
            except OSError:
                pass
            time.sleep(0.2)
    os._exit(0)
os.wait()

grader = gradelib.Grader()
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [3]))
