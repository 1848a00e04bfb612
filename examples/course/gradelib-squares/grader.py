# A legacy xqueue-watcher JailedGrader problem: graded by polygrader's gradelib mode, unchanged.
from grader_support import gradelib

grader = gradelib.Grader()
grader.add_input_check(gradelib.must_define_function("square"))
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [3]))
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [-2]))
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [0.5]))
