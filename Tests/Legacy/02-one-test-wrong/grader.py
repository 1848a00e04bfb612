import gradelib

grader = gradelib.Grader()
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [2]))
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [3]))
