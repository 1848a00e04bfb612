from gradelib import *

grader = Grader()
grader.add_input_check(count_non_comment_lines(at_least=3))
grader.add_test(InvokeStudentFunctionTest("get", []))
