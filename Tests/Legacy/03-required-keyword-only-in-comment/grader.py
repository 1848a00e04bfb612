from gradelib import *

grader = Grader()
grader.add_input_check(required_keyword("for"))
grader.add_test(InvokeStudentFunctionTest("total", [[1, 2, 3]]))
