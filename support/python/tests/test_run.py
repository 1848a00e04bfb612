"""The runner's JSON contract: ``python -B -m grader_support.run GRADER.py SUBMISSION.py SEED``."""
import json
import random
import subprocess
import sys
import textwrap

from conftest import SUPPORT_DIR

SQUARE_GRADER = """
from grader_support import gradelib
grader = gradelib.Grader()
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [3]))
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [-2]))
"""


def run(tmp_path, grader, submission, *args, seed="7"):
    (tmp_path / "grader.py").write_text(textwrap.dedent(grader))
    (tmp_path / "submission.py").write_text(textwrap.dedent(submission))
    argv = list(args) if args else ["grader.py", "submission.py", seed]
    done = subprocess.run([sys.executable, "-B", "-m", "grader_support.run"] + argv, cwd=tmp_path,
                          env={"PYTHONPATH": SUPPORT_DIR}, stdin=subprocess.DEVNULL, capture_output=True, check=True)
    return done.stdout


def run_json(tmp_path, grader, submission, seed="7"):
    stdout = run(tmp_path, grader, submission, seed=seed)
    assert stdout.count(b"\n") == 1 and stdout.endswith(b"\n")
    stdout.decode("ascii")  # json.dumps escapes everything else
    return json.loads(stdout)


def test_usage_with_any_other_argument_count(tmp_path):
    assert run(tmp_path, "", "", "grader.py", "submission.py") == b"Usage: run.py GRADER SUBMISSION seed\n"


def test_a_passing_run(tmp_path):
    output = run_json(tmp_path, SQUARE_GRADER + "print('grader import')\n",
                      "print('at import')\ndef square(x):\n    return x * x\n")
    assert output == {
        "grader": {"status": "ok", "stdout": "grader import\n"},
        "submission": {"status": "ok", "stdout": "at import\n"},
        "results": [["Test: square(3)", None, "9\n"], ["Test: square(-2)", None, "4\n"]],
        "exceptions": 0,
    }


def test_output_gets_a_newline_before_the_exception_text(tmp_path):
    grader = """
    from gradelib import *
    grader = Grader()
    def no_newline(submission):
        print("partial", end="")
        submission.boom()
    grader.add_test(Test(no_newline, "Test: boom", "long"))
    grader.add_test(Test(lambda submission: print("x", end=""), "Test: x"))
    """
    output = run_json(tmp_path, grader, "def boom():\n    raise ValueError('bad')\n")
    [first, second] = output["results"]
    assert first[:2] == ["Test: boom", "long"]
    assert first[2] == ('partial\nTraceback (most recent call last):\n  File "submission.py", line 2, in boom\n'
                        "    raise ValueError('bad')\nValueError: bad\n")
    assert second == ["Test: x", "", "x\n"]
    assert output["exceptions"] == 1 and output["submission"]["status"] == "ok"


def test_base_exceptions_inside_a_test_are_output(tmp_path):
    grader = SQUARE_GRADER
    output = run_json(tmp_path, grader, "import sys\ndef square(x):\n    sys.exit(x)\n")
    assert [r[2] for r in output["results"]] == [
        'Traceback (most recent call last):\n  File "submission.py", line 3, in square\n'
        "    sys.exit(x)\nSystemExit: 3\n",
        'Traceback (most recent call last):\n  File "submission.py", line 3, in square\n'
        "    sys.exit(x)\nSystemExit: -2\n"]
    assert output["exceptions"] == 2


def test_end_test_is_caught_and_leaves_only_what_was_printed(tmp_path):
    grader = """
    import gradelib
    grader = gradelib.Grader()
    def positive(submission):
        if submission.value() < 0:
            grader.end_test("negative")
        print("fine")
    grader.add_test(gradelib.Test(positive, "Test: positive"))
    """
    output = run_json(tmp_path, grader, "def value():\n    return -1\n")
    assert output["results"] == [["Test: positive", "", "*** Error: negative\n"]]
    assert output["exceptions"] == 0 and output["submission"]["status"] == "ok"


def test_a_caught_end_test_marks_the_submission(tmp_path):
    grader = """
    import gradelib
    grader = gradelib.Grader()
    def callback_test(submission):
        print(submission.apply(lambda: grader.end_test("no")))
    grader.add_test(gradelib.Test(callback_test, "Test: apply"))
    """
    output = run_json(tmp_path, grader, "def apply(cb):\n    try:\n        cb()\n    except:\n        pass\n    return 1\n")
    assert output["submission"] == {
        "status": "caught", "stdout": "",
        "exception": "Your code interfered with our grader.  Don't use bare 'except' clauses."}
    assert output["results"] == [["Test: apply", "", "*** Error: no\n1\n"]]


def test_a_grader_that_fails_to_import(tmp_path):
    output = run_json(tmp_path, "print('before')\nraise RuntimeError('broken grader')\n", "x = 1\n")
    assert output["grader"]["status"] == "error" and output["grader"]["stdout"] == "before\n"
    exception = output["grader"]["exception"]
    assert exception.startswith("Traceback (most recent call last):\n")
    assert str(tmp_path / "grader.py") in exception and exception.endswith("RuntimeError: broken grader\n")
    assert output["submission"] == {"status": "notrun"} and output["results"] == [] and output["exceptions"] == 1


def test_a_grader_without_a_grader_object(tmp_path):
    output = run_json(tmp_path, "x = 1\n", "x = 1\n")
    assert output["grader"]["status"] == "error"
    assert output["grader"]["exception"].endswith("AttributeError: module 'grader' has no attribute 'grader'\n")
    assert output["submission"] == {"status": "notrun"} and output["exceptions"] == 1


def test_a_submission_that_fails_to_import(tmp_path):
    output = run_json(tmp_path, SQUARE_GRADER, "x = 1\nimport sys; sys.exit(0)\n")
    assert output["submission"]["status"] == "error"
    assert output["submission"]["exception"] == (
        'Traceback (most recent call last):\n  File "submission.py", line 2, in <module>\n'
        "    import sys; sys.exit(0)\n                ^^^^^^^^^^^\nSystemExit: 0\n")
    assert output["results"] == [] and output["exceptions"] == 1


def test_an_error_escaping_the_test_loop_is_the_graders(tmp_path):
    grader = """
    import gradelib
    grader = gradelib.Grader()
    grader.add_test(gradelib.Test(lambda s: print("one"), "Test: one"))
    grader.add_test(lambda s: print("no descriptions"))
    """
    output = run_json(tmp_path, grader, "x = 1\n")
    assert output["grader"]["status"] == "error"
    assert output["grader"]["exception"].endswith(
        "AttributeError: 'function' object has no attribute 'short_description'\n")
    assert output["results"] == [["Test: one", "", "one\n"]] and output["exceptions"] == 1


def test_tests_added_while_running_also_run(tmp_path):
    grader = """
    import gradelib
    grader = gradelib.Grader()
    def first(s):
        print("first")
        grader.add_test(gradelib.Test(lambda s: print("added"), "Test: added"))
    grader.add_test(gradelib.Test(first, "Test: first"))
    """
    output = run_json(tmp_path, grader, "x = 1\n")
    assert output["results"] == [["Test: first", "", "first\n"], ["Test: added", "", "added\n"]]


def test_the_seed_drives_gradelib_rand_and_random(tmp_path):
    grader = """
    import gradelib, random
    grader = gradelib.Grader()
    at_import = gradelib.rand.random()
    grader.add_test(gradelib.Test(lambda s: print(at_import, gradelib.rand.random(), random.random()), "Test: r"))
    """
    output = run_json(tmp_path, grader, "x = 1\n", seed="1234")
    expected_rand = random.Random(1234)
    expected = "%r %r %r\n" % (expected_rand.random(), expected_rand.random(), random.Random(1235).random())
    assert output["results"][0][2] == expected


def test_stdin_is_empty_and_the_submission_may_import_the_grader(tmp_path):
    grader = """
    import gradelib
    grader = gradelib.Grader()
    grader.add_test(gradelib.Test(lambda s: print(s.ask()), "Test: ask"))
    """
    submission = "import grader\nSEEN = grader.grader.tests()[0].short_description\ndef ask():\n    return SEEN + input()\n"
    output = run_json(tmp_path, grader, submission)
    assert output["results"][0][2].endswith("EOFError: EOF when reading a line\n")


def test_the_runner_writes_no_bytecode_even_without_dash_b(tmp_path):
    (tmp_path / "grader.py").write_text(SQUARE_GRADER)
    (tmp_path / "submission.py").write_text("def square(x):\n    return x * x\n")
    done = subprocess.run([sys.executable, "-m", "grader_support.run", "grader.py", "submission.py", "1"],
                          cwd=tmp_path, env={"PYTHONPATH": SUPPORT_DIR}, capture_output=True, check=True)
    assert json.loads(done.stdout)["exceptions"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grader.py", "submission.py"]
