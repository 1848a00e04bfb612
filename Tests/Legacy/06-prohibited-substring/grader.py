from gradelib import *

grader = Grader()
grader.add_input_check(prohibited_substring("eval"))
grader.add_test(InvokeStudentFunctionTest("calc", ["1+2"]))
