from grader_support import gradelib

grader = gradelib.Grader()
