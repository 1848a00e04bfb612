from gradelib import *

grader = Grader()
grader.add_input_check(required_substring("x = 1\r"))
grader.add_test(InvokeStudentFunctionTest("get", []))
