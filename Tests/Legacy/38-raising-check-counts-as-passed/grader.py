from gradelib import *

grader = Grader()
grader.add_input_check(count_non_comment_lines(at_most=5))
grader.add_test(InvokeStudentFunctionTest("square", [3]))
