from gradelib import *

grader = Grader()
grader.add_input_check(required_keyword("if"))
grader.add_input_check(prohibited_substring("print"))
grader.add_test(InvokeStudentFunctionTest("sign", [-5]))
