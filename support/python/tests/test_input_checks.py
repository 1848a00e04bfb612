"""Every input check factory: when it fails, its exact default message, and its quirks."""
import tokenize

import pytest

from grader_support import gradelib as g

pytestmark = pytest.mark.usefixtures("english")


def test_required_and_prohibited_substring_see_comments_and_strings():
    assert g.required_substring("def ")("f = lambda: 1\n") == "Your code should contain 'def '."
    assert g.required_substring("def ")("# def \n") is None
    assert g.prohibited_substring("eval")("s = 'eval'\n") == "Your code should not contain 'eval'."
    assert g.prohibited_substring("eval")("x = 1\n") is None


def test_an_error_msg_replaces_the_default_verbatim():
    assert g.required_substring("x", error_msg="Need {0} x")("y") == "Need {0} x"
    assert g.prohibited_keyword("for", "No loops!")("for i in x: pass\n") == "No loops!"
    assert g.must_define_function("f", "define f")("") == "define f"


def test_keyword_checks_skip_comments_and_strings_and_match_whole_tokens():
    code = "# for\ns = 'for'\nt = f'{x} for'\nformat = 1\n"
    assert g.required_keyword("for")(code) == 'Your code must make use of the "for" keyword.'
    assert g.prohibited_keyword("for")(code) is None
    assert g.prohibited_keyword("for")("for i in x: pass\n") == 'Your code cannot make use of the "for" keyword.'
    assert g.prohibited_operator is g.prohibited_keyword and g.required_operator is g.required_keyword
    assert g.prohibited_operator("**")("y = x ** 2\n") == 'Your code cannot make use of the "**" keyword.'
    assert g.required_operator("**")("y = x * x\n") == 'Your code must make use of the "**" keyword.'


def test_token_counts_keep_what_was_seen_before_a_tokenize_failure():
    assert g._count_tokens("for x in y:\n    z = (1,\n", "for") == 1
    assert g._count_tokens("x = '''unterminated\nfor\n", "x") == 1
    assert g._count_tokens("if x:\n        a = 1\n    for b in c: pass\n", "for") == 0  # bad dedent
    assert g._count_tokens("x = 1\n", "utf-8") == 1  # the ENCODING token is a token like any other


def test_one_of_required_keywords_shows_the_list():
    check = g.one_of_required_keywords(["for", "while"])
    assert check("x = 1\n") == "Your code must make use of at least one of the following keywords: ['for', 'while']."
    assert check("while x: pass\n") is None


def test_input_check_or_fails_only_when_every_check_fails():
    check = g.input_check_or("Use a loop.", g.required_keyword("for"), g.required_keyword("while"))
    assert check("def f(): return f()\n") == "Use a loop."
    assert check("while 1: pass\n") is None
    assert g.input_check_or(None, g.required_keyword("for"))("x\n") is None


def test_count_rule_order_and_messages():
    check = g.substring_occurs("+", at_least=1, at_most=3, exactly=2)
    assert check("a + b") == "Your code has '+' 1 times, must be exactly 2."
    assert g.substring_occurs("+", at_least=2)("a + b") == "Your code has '+' 1 times, must be at least 2."
    assert g.substring_occurs("+", at_most=1)("a + b + c") == "Your code has '+' 2 times, can't be more than 1."
    assert g.substring_occurs("+", at_least=2, at_most=0)("a + b") == "Your code has '+' 1 times, must be at least 2."
    assert g.substring_occurs("+", exactly=0)("a + b") == "Your code has '+' 1 times, must be exactly 0."
    assert g.substring_occurs("+", exactly=1)("a + b") is None
    assert g.substring_occurs("+", exactly=2, error_msg="two")("a") == "two"


def test_substring_occurs_ignore_spacing_removes_only_plain_spaces():
    check = g.substring_occurs("x = 1", exactly=2, ignore_spacing=True)
    assert check("x=1\nx  =  1\n") is None
    assert check("x=1\nx\t=1\n") == "Your code has 'x = 1' 1 times, must be exactly 2."


def test_substring_occurs_if_condstring_applies_only_when_condstring_occurs():
    check = g.substring_occurs_if_condstring("print", "def ", at_most=1)
    assert check("print(1)\nprint(2)\n") is None
    assert check("def f(): print(1); print(2)\n") == "Your code has 'print' 2 times, can't be more than 1."


def test_token_occurs_counts_tokens_only():
    check = g.token_occurs("print", at_most=1)
    assert check("print(1)\n# print\ns = 'print'\n") is None
    assert check("print(1)\nprint(2)\n") == "Your code has 'print' 2 times, can't be more than 1."


def test_count_non_comment_lines_counts_the_encoding_row_and_not_docstrings():
    assert g.count_non_comment_lines(exactly=1)("x = 1\n") == "Your code has None 2 times, must be exactly 1."
    code = '"""doc"""\n# comment\n\ndef f(x):\n    return (x +\n            1)\n'
    # Rows 0 (ENCODING), 4 (def), 5 (return) and 6 (the continuation line).
    assert g.count_non_comment_lines(exactly=3)(code) == "Your code has None 4 times, must be exactly 3."
    assert g.count_non_comment_lines(at_most=4)(code) is None


def test_count_non_comment_lines_does_not_swallow_tokenize_errors():
    with pytest.raises(tokenize.TokenError):
        g.count_non_comment_lines(at_most=5)("print((1,\n")


def test_function_definition_checks_use_a_word_bounded_regex():
    assert g.must_define_function("hello")("def hello_world(): pass\n") == \
        "Your code must define a function named 'hello'."
    assert g.must_define_function("hello")("def   hello(x): pass\n") is None
    assert g.must_define_function("hel+o")("def hello(): pass\n") is None  # the name is a regex, as in the reference
    assert g.prohibited_function_definition("f")("def f(): pass\n") == "Your code should NOT define a function named 'f'."
    assert g.prohibited_function_definition("f")("def fg(): pass\n") is None


def test_must_define_class_is_a_plain_substring_test():
    message = ("Your code must define a class named 'Node'. Be sure you only have one space between the "
               "keyword 'class' and the class name.")
    assert g.must_define_class("Node")("class  Node:\n    pass\n") == message
    assert g.must_define_class("Node")("class NodeList:\n    pass\n") is None
    assert g.must_define_class("Node")("# class Node\n") is None


def test_required_class_method_line_scan():
    check = g.required_class_method("Stack", "push")
    missing = "The class named 'Stack' should define a method named push."
    assert check("class Stack:\n    def push(self, x):\n        pass\n") is None
    assert check("class Stack:\n    pass\n\ndef push(x):\n    pass\n") is None  # the scan has no notion of indentation
    assert check("def push(x): pass\nclass Stack:\n    pass\n") == missing
    assert check("class Stack:\n    pass\nclass Queue:\n    def push(self): pass\n") == missing
    # A subclass line still names Stack: the scan stays "in class" and finds its method.
    assert check("class Stack:\n    pass\nclass Child(Stack):\n    def push(self): pass\n") is None
    # A commented-out method does not count; a line without '#' loses its last character.
    assert check("class Stack:\n    # def push(self): pass\n") == missing
    assert check("class Stack:\n    def push\n") == missing
    assert check("class Stack:\n    def push # one day\n") is None


def test_prohibited_class_method_leaves_the_class_at_a_subclass():
    check = g.prohibited_class_method("Stack", "pop")
    found = "The class named 'Stack' should not define a method named pop."
    assert check("class Stack:\n    def pop(self):\n        pass\n") == found
    assert check("class Stack:\n    pass\nclass Child( Stack ):\n    def pop(self): pass\n") is None
    assert check("class Stack:\n    pass\nclass Other:\n    def pop(self): pass\n") is None
    assert check("class Stack:\n    x = 1\n") is None


def test_checks_see_the_raw_text_with_carriage_returns():
    assert g.required_substring("x = 1\r")("x = 1\r\ny = 2\r\n") is None
    assert g.required_substring("x = 1\r")("x = 1\ny = 2\n") == "Your code should contain 'x = 1\r'."
