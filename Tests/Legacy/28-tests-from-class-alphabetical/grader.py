from grader_support import gradelib


class SquareTests:
    def test_b_second(self, submission):
        """second"""
        print(submission.square(2))

    def test_a_first(self, submission):
        print(submission.square(1))

    def check_not_a_test(self, submission):
        print("never run")


grader = gradelib.Grader()
grader.add_tests_from_class(SquareTests)
