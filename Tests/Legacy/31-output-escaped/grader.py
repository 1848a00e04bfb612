from gradelib import *

grader = Grader()
grader.add_test(InvokeStudentFunctionTest("tag", [], output_writer=str))
