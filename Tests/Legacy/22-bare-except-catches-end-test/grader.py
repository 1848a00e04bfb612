from grader_support.gradelib import Grader, Test

grader = Grader()


def with_callback(submission):
    def callback():
        grader.end_test("do not call the callback")
    print(submission.apply(callback, 4))


grader.add_test(Test(with_callback, "Test: apply"))
