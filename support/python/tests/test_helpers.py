"""Preprocessors and test helpers of gradelib, called the way the runner calls them."""
import subprocess
import sys
import types

import pytest

from conftest import SUPPORT_DIR
from grader_support import gradelib as g

pytestmark = pytest.mark.usefixtures("english")


def submission(**attributes):
    module = types.ModuleType("submission")
    module.__dict__.update(attributes)
    return module


def test_preprocessors_are_text_to_text():
    assert g.fix_line_endings("a\r\nb\rc\n") == "a\nbc\n"
    code = "print('it''s')\n"
    assert g.wrap_in_string(code) == "submission_code = " + repr(code)
    namespace = {}
    exec(g.wrap_in_string("x = '\\n'\r\n"), namespace)
    assert namespace["submission_code"] == "x = '\\n'\r\n"


def test_capture_stdout_restores_the_stream_even_when_the_body_raises(capsys):
    before = sys.stdout
    with g.capture_stdout() as out:
        print("inside")
    assert out.getvalue() == "inside\n" and sys.stdout is before
    with pytest.raises(ValueError):
        with g.capture_stdout():
            print("lost")
            raise ValueError()
    assert sys.stdout is before
    assert capsys.readouterr().out == ""


def test_exec_wrapped_code_prints_the_output_again_with_a_newline(capsys):
    g.exec_wrapped_code()(submission(submission_code="print('hi')"))
    assert capsys.readouterr().out == "hi\n\n"


def test_exec_wrapped_code_shares_its_environment_between_calls(capsys):
    environment = {"n": 1}
    test_fn = g.exec_wrapped_code(environment, post_process=str.upper)
    module = submission(submission_code="n += 1\nprint('n is', n)")
    test_fn(module)
    test_fn(module)
    assert capsys.readouterr().out == "N IS 2\n\nN IS 3\n\n"
    assert environment["n"] == 3


def test_exec_wrapped_code_default_environment_is_made_once_per_factory_call(capsys):
    test_fn = g.exec_wrapped_code()
    test_fn(submission(submission_code="count = globals().get('count', 0) + 1\nprint(count)"))
    test_fn(submission(submission_code="count = globals().get('count', 0) + 1\nprint(count)"))
    g.exec_wrapped_code()(submission(submission_code="print(globals().get('count', 0))"))
    assert capsys.readouterr().out == "1\n\n2\n\n0\n\n"


def test_exec_wrapped_code_loses_what_was_printed_before_an_exception(capsys):
    with pytest.raises(ZeroDivisionError):
        g.exec_wrapped_code({"n": 3})(submission(submission_code="print('start')\n1/0"))
    assert capsys.readouterr().out == ""


def test_exec_code_and_inspect_values_prints_values_not_names(capsys):
    g.exec_code_and_inspect_values(vars_to_inspect=["total", "missing", "name"])(
        submission(submission_code="total = 10\nname = 'x'\nprint('own output')"))
    assert capsys.readouterr().out == "10\n<undefined>\n'x'\n"


def test_exec_code_and_inspect_values_post_process_prints_the_code_output_first(capsys):
    g.exec_code_and_inspect_values({}, ["x"], post_process=lambda text: text.strip().upper())(
        submission(submission_code="x = [1]\nprint('hello')"))
    assert capsys.readouterr().out == "HELLO\n[1]\n"


def test_trace_wrapped_code_prints_the_message_for_each_falsy_report(capsys):
    class Inspector:
        def __init__(self):
            self.events = []

        def set_source(self, source):
            self.events.append(("source", source))

        def __enter__(self):
            self.events.append("enter")

        def __exit__(self, *exc):
            self.events.append("exit")

        def inspect_dispatch(self):
            yield from (True, False, 1, 0, None)

    inspector = Inspector()
    g.trace_wrapped_code(inspector, "Do not do that.")(submission(submission_code="x = 1"))
    assert capsys.readouterr().out == "Do not do that.\n" * 3
    assert inspector.events == [("source", "x = 1"), "enter", "exit"]


def test_invoke_student_function_sets_the_environment_and_prints_repr(capsys):
    module = submission(f=lambda a, b: [a, b, module.scale])
    g.invoke_student_function("f", ["x", 2], environment={"scale": 10})(module)
    assert capsys.readouterr().out == "['x', 2, 10]\n"
    assert module.scale == 10  # stays set for later tests


def test_invoke_student_function_uses_the_output_writer(capsys):
    g.invoke_student_function("third", [], output_writer=g.round_float_writer(2))(submission(third=lambda: 1 / 3))
    g.invoke_student_function("tag", [], output_writer=str)(submission(tag=lambda: "<a>"))
    assert capsys.readouterr().out == "0.33\n<a>\n"


def test_invoke_student_function_missing_function_is_an_attribute_error():
    module = types.ModuleType("submission")
    with pytest.raises(AttributeError, match="module 'submission' has no attribute 'f'"):
        g.invoke_student_function("f", [])(module)


def test_invoke_student_function_test_default_descriptions(capsys):
    test = g.InvokeStudentFunctionTest("polysum", [3, 1])
    assert test.short_description == "Test: polysum(3, 1)"
    assert test.detailed_description is None
    assert g.InvokeStudentFunctionTest("f", ["a", [1, 2]]).short_description == "Test: f('a', [1, 2])"
    assert g.InvokeStudentFunctionTest("f", ["it's", None]).short_description == "Test: f(\"it's\", None)"
    assert g.InvokeStudentFunctionTest("f", []).short_description == "Test: f()"
    custom = g.InvokeStudentFunctionTest("f", [1], short_desc="mine", detailed_desc="long",
                                         compare=lambda e, a: "cmp")
    assert (custom.short_description, custom.detailed_description) == ("mine", "long")
    assert custom.compare_results("e", "a") == "cmp"
    test(submission(polysum=lambda n, s: n * s))
    assert capsys.readouterr().out == "3\n"


def test_exec_wrapped_student_code_test_works(capsys):
    test = g.ExecWrappedStudentCodeTest(environment={"n": 2})
    assert test.short_description == "Test: exec submission" and test.detailed_description is None
    test(submission(submission_code="print(n * 21)"))
    assert capsys.readouterr().out == "42\n\n"
    assert g.ExecWrappedStudentCodeTest(short_desc="s", detailed_desc="d").detailed_description == "d"


def test_round_float_writer():
    assert g.round_float_writer(4)(9.433) == "9.4330"
    assert g.round_float_writer(0)(2.5) == "2"
    assert g.round_float_writer(1)(3) == "3.0"
    with pytest.raises(TypeError, match="must be real number, not NoneType"):
        g.round_float_writer(2)(None)


def test_rand_starts_seeded_with_one():
    out = subprocess.run([sys.executable, "-B", "-c",
                          "import random, grader_support, gradelib;"
                          "print(gradelib.rand.random() == random.Random(1).random())"],
                         env={"PYTHONPATH": SUPPORT_DIR}, capture_output=True, text=True, check=True).stdout
    assert out == "True\n"
