import errno

from grader_support import gradelib


def read(path):
    try:
        with open(path) as f:
            return "LEAK %s: %s" % (path, f.read(40))
    except OSError as e:
        return "%s: %s" % (path, errno.errorcode.get(e.errno, e.errno))


AT_IMPORT = read("/etc/shadow")
grader = gradelib.Grader()
grader.add_test(gradelib.Test(lambda submission: print(AT_IMPORT, read("/etc/shadow"), submission.square(3)),
                              "Test: shadow"))
