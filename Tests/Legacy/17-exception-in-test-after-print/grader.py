from gradelib import *

grader = Grader()
grader.add_test(InvokeStudentFunctionTest("tens", [1]))
grader.add_test(InvokeStudentFunctionTest("tens", [2]))
