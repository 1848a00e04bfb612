"""The course-facing API of legacy graders (docs/reference/gradelib.md, "The API").

A course's ``grader.py`` builds a ``Grader``, adds tests, input checks and preprocessors, and leaves it in
a module-level variable ``grader``. ``grader_support.run`` imports that module and the learner's submission
and runs the tests; the course-side flow (``grader_support.course``) runs the input checks, preprocessors
and ``compare_results``.

No ``__all__``: ``from gradelib import *`` exports every public module-level name, including the modules
imported below (``re``, ``sys``, ``random``, ``inspect``, ``contextlib``, ``tokenize``, ``COMMENT``, ``STRING``,
``BytesIO``, ``StringIO``, ``rand``), because star-importing graders rely on them. Helpers are private.

User-visible strings go through the gettext function ``_`` installed in builtins by whoever runs us (the
runner or the course-side flow), looked up at call time: the same grader gives English inside the runs and
the course's language on the course side.
"""
import builtins as _builtins
import contextlib
import importlib.util as _importlib_util
import random
import re
import sys
import tokenize
from io import BytesIO, StringIO
from tokenize import COMMENT, STRING


def _lazy_module(name):
    """Import ``name`` now but execute it on first attribute access.

    ``inspect`` costs several milliseconds to import and only ``add_tests_from_class`` needs it; every
    graded submission starts two interpreters, so the import is deferred. The lazy module is the real
    module (it is what ``sys.modules`` holds), so graders that use ``inspect`` see no difference.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = _importlib_util.find_spec(name)
    loader = _importlib_util.LazyLoader(spec.loader)
    spec.loader = loader
    module = _importlib_util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


inspect = _lazy_module("inspect")

# The runner replaces this with random.Random(seed) before importing the grader, so that the staff and the
# learner runs draw the same values. Graders must read it as gradelib.rand at the time they draw.
rand = random.Random(1)


def _tr(message):
    """Translate through the ``_`` that the flow installed in builtins (identity when there is none)."""
    translate = getattr(_builtins, "_", None)
    return translate(message) if callable(translate) else message


class EndTest(Exception):
    """Raised to stop the current test; its only argument is the message (``str(EndTest())`` is 'None')."""

    def __init__(self, message=None):
        super().__init__(message)


class Test:
    """One test: calling it runs ``test_fn`` on the submission module; what it prints is its output."""

    def __init__(self, test_fn, short_description, detailed_description='', compare=None):
        self.fn = test_fn
        self.short_description = short_description
        self.detailed_description = detailed_description
        if compare:
            # Called as compare(expected, actual), without self.
            self.compare_results = compare

    def __call__(self, *args):
        return self.fn(*args)

    def compare_results(self, expected, actual):
        return expected == actual


class Grader:
    """Tests, input checks and preprocessors of one problem."""

    def __init__(self):
        self._tests = []
        self._input_checks = []
        self._preprocessors = [fix_line_endings]
        self._end_tests = 0

    def input_errors(self, submission_str):
        results = [check(submission_str) for check in self._input_checks]
        return [message for message in results if message]

    def preprocess(self, submission_str):
        for preprocessor in self._preprocessors:
            submission_str = preprocessor(submission_str)
        return submission_str

    def tests(self):
        # The live list: a test appended while the runner iterates is run too.
        return self._tests

    def end_test(self, message):
        self._end_tests += 1
        print(_tr("*** Error: {0}").format(message))
        raise EndTest()

    def caught_end_test(self):
        self._end_tests -= 1

    def uncaught_end_tests(self):
        return self._end_tests

    def add_preprocessor(self, fn):
        self._preprocessors.append(fn)

    def add_test(self, test):
        self._tests.append(test)

    def add_input_check(self, check):
        self._input_checks.append(check)

    def add_tests_from_class(self, test_class):
        """Add a Test for each ``test_*`` method of one instance, in alphabetical order of name."""
        instance = test_class()
        compare = instance.compare_results if hasattr(instance, "compare_results") else None
        for name, method in inspect.getmembers(instance, inspect.ismethod):
            if name.startswith("test_"):
                short = "Test: " + name[5:].replace("_", " ")
                self.add_test(Test(method, short, method.__doc__, compare))


# ---------------------------------------------------------------------------------------------------------
# Preprocessors: text to text, never executed.

def fix_line_endings(code):
    return code.replace("\r", "")


def wrap_in_string(code):
    return "submission_code = " + repr(code)


# ---------------------------------------------------------------------------------------------------------
# Input checks: each factory returns check(code) -> message or None. ``code`` is the raw submission.

def _tokens(code):
    """Tokens of ``code`` (ENCODING first); tokenize errors propagate."""
    return tokenize.tokenize(BytesIO(code.encode("utf-8")).readline)


def _count_tokens(code, string):
    """Tokens (not comments, not strings) whose text is ``string``; counts up to a tokenize failure."""
    count = 0
    try:
        for token in _tokens(code):
            if token.type not in (COMMENT, STRING) and token.string == string:
                count += 1
    except (tokenize.TokenError, SyntaxError):
        pass  # unbalanced brackets, unterminated strings, bad dedents: what was seen still counts
    return count


def _check_count(text, count, at_least, at_most, exactly, error_msg):
    """The shared count rule: exactly, then at least, then at most; the first broken one answers."""
    if exactly is not None and count != exactly:
        return error_msg or _tr("Your code has {0!r} {1} times, must be exactly {2}.").format(text, count, exactly)
    if at_least is not None and count < at_least:
        return error_msg or _tr("Your code has {0!r} {1} times, must be at least {2}.").format(text, count, at_least)
    if at_most is not None and count > at_most:
        return error_msg or _tr("Your code has {0!r} {1} times, can't be more than {2}.").format(text, count, at_most)
    return None


def required_substring(string, error_msg=None):
    def check(code):
        if string not in code:
            return error_msg or _tr("Your code should contain '{0}'.").format(string)
        return None
    return check


def prohibited_substring(string, error_msg=None):
    def check(code):
        if string in code:
            return error_msg or _tr("Your code should not contain '{0}'.").format(string)
        return None
    return check


def prohibited_keyword(string, error_msg=None):
    def check(code):
        if _count_tokens(code, string) > 0:
            return error_msg or _tr('Your code cannot make use of the "{0}" keyword.').format(string)
        return None
    return check


prohibited_operator = prohibited_keyword


def required_keyword(string, error_msg=None):
    def check(code):
        if _count_tokens(code, string) == 0:
            return error_msg or _tr('Your code must make use of the "{0}" keyword.').format(string)
        return None
    return check


required_operator = required_keyword


def one_of_required_keywords(strings, error_msg=None):
    def check(code):
        if not any(_count_tokens(code, string) > 0 for string in strings):
            return error_msg or _tr(
                "Your code must make use of at least one of the following keywords: {0}.").format(str(strings))
        return None
    return check


def input_check_or(error_msg, *checks):
    """Fails (with ``error_msg``) only when every check fails."""
    def check(code):
        for one_check in checks:
            if one_check(code) is None:
                return None
        return error_msg
    return check


def substring_occurs(string, at_least=None, at_most=None, exactly=None, error_msg=None, ignore_spacing=False):
    def check(code):
        if ignore_spacing:
            count = code.replace(" ", "").count(string.replace(" ", ""))
        else:
            count = code.count(string)
        return _check_count(string, count, at_least, at_most, exactly, error_msg)
    return check


def substring_occurs_if_condstring(string, condstring, at_least=None, at_most=None, exactly=None, error_msg=None):
    def check(code):
        if condstring not in code:
            return None
        return _check_count(string, code.count(string), at_least, at_most, exactly, error_msg)
    return check


def token_occurs(string, at_least=None, at_most=None, exactly=None, error_msg=None):
    def check(code):
        return _check_count(string, _count_tokens(code, string), at_least, at_most, exactly, error_msg)
    return check


def count_non_comment_lines(at_least=None, at_most=None, exactly=None, error_msg=None):
    """Counts distinct start rows of non-comment, non-string tokens with visible text.

    The ENCODING token (row 0) counts, so the count is one more than the number of code lines; a tokenize
    failure is not swallowed here. Both are the reference behaviour and kept.
    """
    def check(code):
        rows = {token.start[0] for token in _tokens(code)
                if token.type not in (COMMENT, STRING) and token.string.strip()}
        return _check_count(None, len(rows), at_least, at_most, exactly, error_msg)
    return check


def _defines_function_regex(fn_name):
    # The name is inserted unescaped, as in the reference: a name is a regex.
    return r"\bdef\s+" + fn_name + r"\b"


def must_define_function(fn_name, error_msg=None):
    def check(code):
        if not re.search(_defines_function_regex(fn_name), code):
            return error_msg or _tr("Your code must define a function named '{0}'.").format(fn_name)
        return None
    return check


def prohibited_function_definition(fn_name, error_msg=None):
    def check(code):
        if re.search(_defines_function_regex(fn_name), code):
            return error_msg or _tr("Your code should NOT define a function named '{0}'.").format(fn_name)
        return None
    return check


def must_define_class(class_name, error_msg=None):
    def check(code):
        if "class " + class_name not in code:
            return error_msg or _tr(
                "Your code must define a class named '{0}'. Be sure you only have one space between "
                "the keyword 'class' and the class name.").format(class_name)
        return None
    return check


def _class_defines_method(code, class_name, method_name, leaves_class):
    """The reference's line scan: is a ``def method_name`` seen while inside ``class class_name``?

    Each line is cut at its first '#', or loses its last character when it has none (the reference slices
    up to ``find('#')``, which is -1); ``leaves_class(line)`` says whether a line holding another
    ``class `` ends the class.
    """
    in_class = False
    for line in code.split("\n"):
        line = line[:line.find("#")]
        if not line.replace(" ", ""):
            continue
        if "class " + class_name in line:
            in_class = True
        elif in_class and re.search(_defines_function_regex(method_name), line):
            return True
        elif in_class and "class " in line and leaves_class(line):
            in_class = False
    return False


def required_class_method(class_name, method_name, error_msg=None):
    def leaves_class(line):
        return class_name not in line

    def check(code):
        if not _class_defines_method(code, class_name, method_name, leaves_class):
            return error_msg or _tr("The class named '{0}' should define a method named {1}.").format(
                class_name, method_name)
        return None
    return check


def prohibited_class_method(class_name, method_name, error_msg=None):
    def leaves_class(line):
        return class_name not in line or "(" + class_name + ")" in line.replace(" ", "")

    def check(code):
        if _class_defines_method(code, class_name, method_name, leaves_class):
            return error_msg or _tr("The class named '{0}' should not define a method named {1}.").format(
                class_name, method_name)
        return None
    return check


# ---------------------------------------------------------------------------------------------------------
# Test helpers.

@contextlib.contextmanager
def capture_stdout():
    """Send ``print`` to a fresh StringIO for the body; yields the buffer.

    The reference restores ``sys.stdout`` only on normal exit; we restore it always, which the runner
    cannot tell apart (it captures every test in its own buffer anyway).
    """
    old_stdout = sys.stdout
    buffer = StringIO()
    sys.stdout = buffer
    try:
        yield buffer
    finally:
        sys.stdout = old_stdout


def exec_wrapped_code(environment=None, post_process=None):
    """A test function that execs ``submission_code`` (see ``wrap_in_string``) and prints its output.

    ``environment`` is the globals dict itself, shared by every call. If the code raises, what it printed
    is lost: the test output is then only the exception text.
    """
    if environment is None:
        environment = {}

    def test_fn(submission_module):
        with capture_stdout() as output:
            exec(submission_module.submission_code, environment)
        text = output.getvalue()
        if post_process:
            text = post_process(text)
        print(text)
    return test_fn


def exec_code_and_inspect_values(environment=None, vars_to_inspect=None, post_process=None):
    """Exec ``submission_code``, then print ``repr`` of each inspected variable, one per line.

    Deliberately not the reference, which prints the variable *names* (every learner passes): see
    support/python/README.md. With ``post_process``, the code's own output, post-processed, is printed
    first. A name the code did not define prints ``<undefined>``.
    """
    if environment is None:
        environment = {}

    def test_fn(submission_module):
        with capture_stdout() as output:
            exec(submission_module.submission_code, environment)
        if post_process:
            print(post_process(output.getvalue()))
        for name in vars_to_inspect or ():
            print(repr(environment[name]) if name in environment else "<undefined>")
    return test_fn


def trace_wrapped_code(inspector, error_msg):
    """Run an inspector over ``submission_code``; print ``error_msg`` for every falsy report."""
    def test_fn(submission_module):
        inspector.set_source(submission_module.submission_code)
        with inspector:
            for report in inspector.inspect_dispatch():
                if not report:
                    print(error_msg)
    return test_fn


def invoke_student_function(fn_name, args, environment=None, output_writer=None):
    """A test function: set ``environment`` on the submission module, call ``fn_name(*args)``, print it."""
    writer = output_writer or repr

    def test_fn(submission_module):
        if environment:
            for name, value in environment.items():
                setattr(submission_module, name, value)
        function = getattr(submission_module, fn_name)
        print(writer(function(*args)))
    return test_fn


class InvokeStudentFunctionTest(Test):
    def __init__(self, fn_name, args, environment=None, output_writer=None, short_desc=None,
                 detailed_desc=None, compare=None):
        if short_desc is None:
            short_desc = "Test: {0}({1})".format(fn_name, ", ".join(repr(arg) for arg in args))
        test_fn = invoke_student_function(fn_name, args, environment, output_writer)
        super().__init__(test_fn, short_desc, detailed_desc, compare)


class ExecWrappedStudentCodeTest(Test):
    """A Test running ``exec_wrapped_code(environment)`` (the reference's version cannot be constructed)."""

    def __init__(self, environment=None, short_desc=None, detailed_desc=None, compare=None):
        if short_desc is None:
            short_desc = "Test: exec submission"
        super().__init__(exec_wrapped_code(environment), short_desc, detailed_desc, compare)


def round_float_writer(n):
    """An output writer printing a number with ``n`` decimals: round_float_writer(4)(9.433) == '9.4330'."""
    def writer(value):
        return "%.*f" % (n, value)
    return writer
