from grader_support.gradelib import Grader, Test

grader = Grader()


def positive_square(submission):
    result = submission.square(3)
    if result < 0:
        grader.end_test("bad input")
    print(result)


grader.add_test(Test(positive_square, "Test: square(3) is positive"))
