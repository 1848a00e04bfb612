from gradelib import *

grader = Grader()
grader.add_test(InvokeStudentFunctionTest("third", [], output_writer=round_float_writer(2)))
