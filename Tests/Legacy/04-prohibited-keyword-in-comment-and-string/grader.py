from gradelib import *

grader = Grader()
grader.add_input_check(prohibited_keyword("import"))
grader.add_test(InvokeStudentFunctionTest("double", [4]))
