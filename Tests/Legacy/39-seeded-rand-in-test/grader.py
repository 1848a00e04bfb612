import gradelib

grader = gradelib.Grader()


def doubles(submission):
    x = gradelib.rand.randint(1, 9)
    print(submission.double(x) == x * 2)


grader.add_test(gradelib.Test(doubles, "Test: double a random number"))
grader.add_test(gradelib.Test(doubles, "Test: double another random number"))
