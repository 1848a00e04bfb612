from gradelib import *

grader = Grader()
grader.add_test(InvokeStudentFunctionTest("f", ["it's", None]))
