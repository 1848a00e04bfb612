from gradelib import *

grader = Grader()
grader.add_input_check(substring_occurs("+", exactly=2))
grader.add_test(InvokeStudentFunctionTest("add3", [1, 2, 3]))
