"""A docstring."""
# a comment
x = 1
