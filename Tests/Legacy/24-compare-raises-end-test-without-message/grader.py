from gradelib import *


def strict(expected, actual):
    if expected != actual:
        raise EndTest()
    return True


grader = Grader()
grader.add_test(InvokeStudentFunctionTest("square", [5], compare=strict))
