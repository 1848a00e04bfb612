from gradelib import *

grader = Grader()
grader.add_preprocessor(wrap_in_string)
grader.add_test(Test(exec_code_and_inspect_values(vars_to_inspect=["total"]), "Test: total"))
