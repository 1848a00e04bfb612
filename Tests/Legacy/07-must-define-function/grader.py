from gradelib import *

grader = Grader()
grader.add_input_check(must_define_function("hello"))
grader.add_test(InvokeStudentFunctionTest("hello", []))
