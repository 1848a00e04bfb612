from gradelib import *

grader = Grader()
grader.add_input_check(must_define_class("Node"))
grader.add_test(InvokeStudentFunctionTest("make", []))
