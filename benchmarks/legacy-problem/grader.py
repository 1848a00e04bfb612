# A gradelib grader shaped like a typical MITx 6.00.1x exercise ("Exercise: iter power"): five
# InvokeStudentFunctionTests and one input check, answer.py beside it. Used by benchmarks/legacy.
from grader_support import gradelib
from grader_support.gradelib import InvokeStudentFunctionTest, round_float_writer

grader = gradelib.Grader()

# The exercise asks for repeated multiplication: the power operator is not allowed.
grader.add_input_check(gradelib.prohibited_substring(
    "**", "Your solution must use iteration (repeated multiplication), not the ** operator."))

for base, exp in [(2, 5), (-3.5, 3), (1.5, 0), (7, 1), (-0.75, 8)]:
    grader.add_test(InvokeStudentFunctionTest("iterPower", [base, exp], output_writer=round_float_writer(4)))
