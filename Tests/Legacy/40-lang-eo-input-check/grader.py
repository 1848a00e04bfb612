from gradelib import *

grader = Grader()
grader.add_input_check(required_keyword("for"))


def positive_total(submission):
    result = submission.total([1, 2, 3])
    if result < 0:
        grader.end_test("negative total")
    print(result)


def strict(expected, actual):
    if expected != actual:
        raise EndTest("different")
    return True


grader.add_test(Test(positive_total, "Test: total([1, 2, 3])", compare=strict))
