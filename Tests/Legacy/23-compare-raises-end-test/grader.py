import gradelib


def at_most_two_lines(expected, actual):
    if actual.count("\n") > 2:
        raise gradelib.EndTest("too long")
    return expected == actual


grader = gradelib.Grader()
grader.add_test(gradelib.Test(lambda submission: submission.show(), "Test: show", compare=at_most_two_lines))
