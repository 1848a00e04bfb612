from grader_support.gradelib import Grader, Test

grader = Grader()


def checked(submission):
    def must_not_be_called():
        grader.end_test("the callback is for emergencies")
    print(submission.square(3, must_not_be_called))


grader.add_test(Test(checked, "Test: square(3)"))
