"""gradelib's core types and the package aliases (docs/reference/gradelib.md, "The API")."""
import subprocess
import sys
import textwrap

import pytest

from conftest import SUPPORT_DIR
from grader_support import gradelib
from grader_support.gradelib import EndTest, Grader  # not Test: pytest would try to collect it


def test_bare_names_are_the_same_module_objects():
    import gradelib as bare_gradelib
    import graderutil as bare_graderutil
    from grader_support import graderutil
    assert bare_gradelib is gradelib
    assert bare_graderutil is graderutil


def test_star_import_exports_the_api_and_the_modules_graders_rely_on():
    namespace = {}
    exec("from gradelib import *", namespace)
    expected = {
        "Grader", "Test", "EndTest", "InvokeStudentFunctionTest", "ExecWrappedStudentCodeTest",
        "fix_line_endings", "wrap_in_string", "required_substring", "prohibited_substring",
        "prohibited_keyword", "prohibited_operator", "required_keyword", "required_operator",
        "one_of_required_keywords", "input_check_or", "substring_occurs", "substring_occurs_if_condstring",
        "token_occurs", "count_non_comment_lines", "must_define_function", "prohibited_function_definition",
        "must_define_class", "required_class_method", "prohibited_class_method", "capture_stdout",
        "exec_wrapped_code", "exec_code_and_inspect_values", "trace_wrapped_code", "invoke_student_function",
        "round_float_writer", "rand", "re", "sys", "random", "inspect", "contextlib", "tokenize", "COMMENT",
        "STRING", "BytesIO", "StringIO",
    }
    assert expected <= set(namespace)
    assert not [name for name in namespace if name.startswith("_") and name != "__builtins__"]
    assert namespace["random"].__name__ == "random" and namespace["re"].__name__ == "re"


def test_the_lazily_imported_inspect_is_the_real_module():
    out = subprocess.run(
        [sys.executable, "-B", "-c", textwrap.dedent("""
            import sys
            import grader_support
            print("inspect loaded early:", "ast" in sys.modules)
            import inspect, gradelib
            assert gradelib.inspect is inspect is sys.modules["inspect"]
            print(inspect.getsource(gradelib.round_float_writer).splitlines()[0])
        """)],
        env={"PYTHONPATH": SUPPORT_DIR}, capture_output=True, text=True, check=True).stdout
    assert out == "inspect loaded early: False\ndef round_float_writer(n):\n"


def test_end_test_message_is_its_only_argument():
    assert str(EndTest()) == "None"
    assert str(EndTest("too long")) == "too long"
    assert EndTest("x").args == ("x",)
    assert issubclass(EndTest, Exception)


def test_test_calls_its_function_and_compares_by_equality():
    calls = []
    test = gradelib.Test(lambda *args: calls.append(args) or "result", "Test: short")
    assert test("module", 2) == "result" and calls == [("module", 2)]
    assert test.short_description == "Test: short" and test.detailed_description == ""
    assert test.compare_results("a\n", "a\n") is True
    assert test.compare_results("a\n", "b\n") is False


def test_a_compare_function_replaces_the_method_without_self():
    test = gradelib.Test(print, "Test: x", None, compare=lambda expected, actual: (expected, actual))
    assert test.detailed_description is None
    assert test.compare_results("e", "a") == ("e", "a")


def test_a_falsy_compare_keeps_the_default():
    assert gradelib.Test(print, "s", compare=0).compare_results("a", "a") is True


def test_grader_starts_with_fix_line_endings_and_runs_preprocessors_in_order():
    grader = Grader()
    assert grader.preprocess("a\r\nb\r") == "a\nb"
    grader.add_preprocessor(lambda code: code + "!")
    grader.add_preprocessor(lambda code: code.upper())
    assert grader.preprocess("x\r") == "X!"


def test_input_errors_runs_every_check_in_order_and_keeps_truthy_results():
    grader = Grader()
    seen = []
    grader.add_input_check(lambda code: seen.append(1) or "first")
    grader.add_input_check(lambda code: seen.append(2) or None)
    grader.add_input_check(lambda code: seen.append(3) or "")
    grader.add_input_check(lambda code: seen.append(4) or "fourth")
    assert grader.input_errors("code") == ["first", "fourth"]
    assert seen == [1, 2, 3, 4]
    assert Grader().input_errors("code") == []


def test_tests_is_the_live_list():
    grader = Grader()
    grader.add_test("t1")
    tests = grader.tests()
    grader.add_test("t2")
    assert tests == ["t1", "t2"] and tests is grader.tests()


def test_end_test_prints_counts_and_raises_end_test_without_message(english, capsys):
    grader = Grader()
    with pytest.raises(EndTest) as raised:
        grader.end_test("bad input")
    assert str(raised.value) == "None"
    assert capsys.readouterr().out == "*** Error: bad input\n"
    assert grader.uncaught_end_tests() == 1
    grader.caught_end_test()
    assert grader.uncaught_end_tests() == 0


def test_end_test_uses_the_translation_installed_at_call_time(monkeypatch, capsys):
    import builtins
    grader = Grader()
    monkeypatch.setattr(builtins, "_", lambda message: message.replace("Error", "Eraro"), raising=False)
    with pytest.raises(EndTest):
        grader.end_test(3)
    assert capsys.readouterr().out == "*** Eraro: 3\n"


class _Base:
    def test_inherited(self, submission):
        """inherited doc"""


class _Tests(_Base):
    def test_z_last(self, submission):
        print("z")

    def test_pop_from_empty(self, submission):
        """
        Pops.
        """

    def testNoUnderscore(self, submission):
        pass

    def check_x(self, submission):
        pass

    not_a_method = "test_string"


def test_add_tests_from_class_sorts_names_and_takes_descriptions(english):
    grader = Grader()
    grader.add_tests_from_class(_Tests)
    tests = grader.tests()
    assert [t.short_description for t in tests] == ["Test: inherited", "Test: pop from empty", "Test: z last"]
    assert [t.detailed_description for t in tests] == ["inherited doc", "\n        Pops.\n        ", None]
    assert tests[0].compare_results("a", "a") is True


def test_add_tests_from_class_uses_the_instance_compare_results():
    class WithCompare:
        instances = []

        def __init__(self):
            self.instances.append(self)

        def compare_results(self, expected, actual):
            return ("compared", self, expected, actual)

        def test_one(self, submission):
            return ("ran", self, submission)

    grader = Grader()
    grader.add_tests_from_class(WithCompare)
    [test] = grader.tests()
    [instance] = WithCompare.instances  # one instance for every test
    assert test("module") == ("ran", instance, "module")
    assert test.compare_results("e", "a") == ("compared", instance, "e", "a")
