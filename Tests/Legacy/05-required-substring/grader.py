from grader_support.gradelib import Grader, InvokeStudentFunctionTest, required_substring

grader = Grader()
grader.add_input_check(required_substring("def "))
grader.add_test(InvokeStudentFunctionTest("square", [3]))
