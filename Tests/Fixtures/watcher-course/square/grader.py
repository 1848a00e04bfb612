import gradelib

grader = gradelib.Grader()
grader.add_test(gradelib.InvokeStudentFunctionTest('square', [3]))
grader.add_test(gradelib.InvokeStudentFunctionTest('square', [-4]))
