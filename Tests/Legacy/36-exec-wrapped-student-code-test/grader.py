from gradelib import *

grader = Grader()
grader.add_preprocessor(wrap_in_string)
grader.add_test(ExecWrappedStudentCodeTest())
