from gradelib import *

grader = Grader()
grader.add_input_check(input_check_or("Use a loop.", required_keyword("for"), required_keyword("while")))
grader.add_test(InvokeStudentFunctionTest("fact", [5]))
