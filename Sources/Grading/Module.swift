// Grading: problems, the pipeline, checkers, scoring, feedback.
