# A 6.00.1x-style gradelib problem (benchmarks/throughput): one input check and five
# InvokeStudentFunctionTests, as the xqueue-watcher + codejail figures in benchmarks/README.md were taken on.
from grader_support import gradelib

grader = gradelib.Grader()
grader.add_input_check(gradelib.must_define_function("iterPower"))
grader.add_test(gradelib.InvokeStudentFunctionTest("iterPower", [2, 10]))
grader.add_test(gradelib.InvokeStudentFunctionTest("iterPower", [3, 0]))
grader.add_test(gradelib.InvokeStudentFunctionTest("iterPower", [-1.5, 3]))
grader.add_test(gradelib.InvokeStudentFunctionTest("iterPower", [7, 1]))
grader.add_test(gradelib.InvokeStudentFunctionTest("iterPower", [0.5, 4]))
