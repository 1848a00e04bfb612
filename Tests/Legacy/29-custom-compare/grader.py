from gradelib import *

grader = Grader()
grader.add_test(Test(lambda submission: submission.greet(), "Test: case", compare=lambda e, a: e.lower() == a.lower()))
