from gradelib import *

grader = Grader()
grader.add_preprocessor(wrap_in_string)
grader.add_test(Test(exec_wrapped_code(environment={"n": 3}), "Test: print n"))
