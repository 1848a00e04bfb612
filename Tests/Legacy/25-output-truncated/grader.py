from gradelib import *

grader = Grader()
grader.add_test(Test(lambda submission: submission.show(), "Test: show"))
