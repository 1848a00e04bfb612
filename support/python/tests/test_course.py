"""The course side (``grader_support.course``): every decision of the flow, with crafted learner outputs."""
import json
import pathlib
import subprocess
import sys
import tempfile
import textwrap

import pytest

import legacy_reply
from conftest import SUPPORT_DIR

L364 = "There was a problem running the staff solution (Staff debug: L364)"
L379 = "There was a problem running your solution (Staff debug: L379)."
L397 = "We couldn't run your solution (Staff debug: L397)."

SQUARE_GRADER = """
from grader_support import gradelib
grader = gradelib.Grader()
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [3]))
grader.add_test(gradelib.InvokeStudentFunctionTest("square", [-2]))
"""
SQUARE = "def square(x):\n    return x * x\n"


def learner_stdout(tmp_path, grader, submission, seed=5):
    """What the learner's jail prints, produced by the real entry point."""
    box = pathlib.Path(tempfile.mkdtemp(prefix="learner-", dir=tmp_path))
    (box / "grader.py").write_text(textwrap.dedent(grader))
    return subprocess.run([sys.executable, "-B", "-m", "grader_support.student", "grader.py", str(seed), "0"],
                          cwd=box, env={"PYTHONPATH": SUPPORT_DIR}, input=submission.encode(),
                          capture_output=True, timeout=30).stdout


def course(tmp_path, grader, answer, submission, stdout, payload=None, seed=5, catalog=None):
    """Run the course entry point on these files; returns (reply, its raw stdout)."""
    box = pathlib.Path(tempfile.mkdtemp(prefix="course-", dir=tmp_path))
    (box / "grader.py").write_text(textwrap.dedent(grader))
    if answer is not None:
        (box / "answer.txt").write_bytes(answer.encode() if isinstance(answer, str) else answer)
    (box / "submission.txt").write_text(submission)
    (box / "learner.out").write_bytes(stdout)
    (box / "payload.json").write_text(json.dumps(payload or {}))
    if catalog:
        import msgfmt
        directory = box / "locale" / catalog[0] / "LC_MESSAGES"
        directory.mkdir(parents=True)
        (directory / "graders.mo").write_bytes(msgfmt.compile_mo(catalog[1]))
    done = subprocess.run([sys.executable, "-B", "-m", "grader_support.course", "grader.py", "answer.txt",
                           "submission.txt", "learner.out", str(seed), "payload.json", "0"], cwd=box,
                          env={"PYTHONPATH": SUPPORT_DIR}, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(b"\n") == 1, done.stdout
    return json.loads(done.stdout)


def grade(tmp_path, grader=SQUARE_GRADER, answer=SQUARE, submission=SQUARE, **options):
    stdout = learner_stdout(tmp_path, grader, submission, options.get("seed", 5))
    return course(tmp_path, grader, answer, submission, stdout, **options)


def errors(reply):
    return legacy_reply.errors(reply["msg"])


def run_output(results, grader_status="ok", submission=None):
    return json.dumps({"grader": {"status": grader_status, "stdout": ""},
                       "submission": submission or {"status": "ok", "stdout": ""},
                       "results": results, "exceptions": 0}).encode()


SQUARE_RESULTS = [["Test: square(3)", None, "9\n"], ["Test: square(-2)", None, "4\n"]]


def test_a_correct_submission(tmp_path):
    reply = grade(tmp_path)
    assert (reply["correct"], reply["score"], reply["outcome"], reply["staff_log"]) == (True, 1.0, "graded", [])


@pytest.mark.parametrize("stdout,expected", [
    (b"", [L379, L397]),
    (b"junk{", [L397]),
    (b" \n", [L397]),
    (b"\xff\xfe{}", [L397]),
    (b"[]", [L397]),
    (b'"text"', [L397]),
    (b"[" * 100000 + b"]" * 100000, [L397]),
    (b'{"stopped": "input_errors"}', [L397]),
    (b'{"grader": {"status": "ok"}, "submission": {"status": "ok"}, "results": "x"}', [L397]),
    (b'{"grader": {"status": "ok"}, "submission": {"status": "ok"}, "results": [["a", null]]}', [L397]),
    (b'{"grader": {"status": "ok"}, "submission": {"status": "ok"}, "results": [["a", null, 5]]}', [L397]),
    (b'{"grader": {"status": "ok"}, "submission": {"status": "error", "exception": ["x"]}, "results": []}', [L397]),
    (run_output(SQUARE_RESULTS, grader_status="error"), [L397]),
    (run_output([], submission={"status": "error", "exception": ""}),
     ["There was an error thrown while running your solution."]),
    (run_output([], submission={"status": "caught"}), ["There was an error thrown while running your solution."]),
    (run_output([], submission={"status": "error", "exception": "Boom: <b>"}), ["Boom: <b>"]),
    (run_output(SQUARE_RESULTS[:1]),
     ["Something went wrong: different numbers of tests ran for your code and for our reference code."]),
])
def test_learner_outputs_are_untrusted_and_map_to_the_reference_errors(tmp_path, stdout, expected):
    reply = course(tmp_path, SQUARE_GRADER, SQUARE, SQUARE, stdout)
    assert errors(reply) == expected
    assert (reply["correct"], reply["score"]) == (False, 0)


def test_the_learner_stdout_may_have_surrounding_whitespace(tmp_path):
    reply = course(tmp_path, SQUARE_GRADER, SQUARE, SQUARE, b"\n " + run_output(SQUARE_RESULTS) + b"\n\n")
    assert (reply["correct"], reply["score"]) == (True, 1.0)


def test_mismatched_descriptions_keep_the_blocks_before_them(tmp_path):
    stdout = run_output([SQUARE_RESULTS[0], ["Test: forged", None, "4\n"]])
    reply = course(tmp_path, SQUARE_GRADER, SQUARE, SQUARE, stdout)
    assert (reply["correct"], reply["score"], reply["outcome"]) == (False, 0, "mismatch")
    assert errors(reply) == ["Something went wrong: tests don't match up."]
    assert [t["short"] for t in legacy_reply.tests(reply["msg"])] == ["Test: square(3)"]
    assert reply["msg"].index("result-errors") < reply["msg"].index("result-output")


def test_compare_results_raising_anything_but_end_test_is_a_staff_failure(tmp_path):
    grader = SQUARE_GRADER + "grader.tests()[1].compare_results = lambda e, a: 1 / 0\n"
    reply = grade(tmp_path, grader)
    assert errors(reply) == [L364] and reply["outcome"] == "staff_error"
    assert "ZeroDivisionError" in reply["staff_log"][0] and "ZeroDivisionError" not in reply["msg"]


@pytest.mark.parametrize("values,score,correct", [
    ("[0.5, 1]", 0.75, True),
    ("[2, 0]", 1.0, False),
    ("['yes', None]", 0.5, False),
    ("[[1], float('nan')]", 1.0, True),
    ("[10 ** 400, True]", 1.0, True),
])
def test_compare_values_count_with_their_number_or_their_truthiness(tmp_path, values, score, correct):
    grader = SQUARE_GRADER + "values = %s\n" % values + textwrap.dedent("""
        for test, value in zip(grader.tests(), values):
            test.compare_results = lambda e, a, value=value: value
    """)
    reply = grade(tmp_path, grader)
    assert (reply["score"], reply["correct"]) == (score, correct)


def test_a_missing_or_undecodable_answer_is_a_staff_failure_before_the_input_checks(tmp_path):
    grader = SQUARE_GRADER + "grader.add_input_check(gradelib.required_keyword('while'))\n"
    reply = course(tmp_path, grader, None, SQUARE, b"")
    assert errors(reply) == [L364] and "answer" in reply["staff_log"][0]
    reply = course(tmp_path, grader, b"x = '\xff'\n", SQUARE, b"")
    assert errors(reply) == [L364]


@pytest.mark.parametrize("grader,detail", [
    ("raise RuntimeError('broken grader')\n", "RuntimeError: broken grader"),
    ("x = 1\n", "has no attribute 'grader'"),
    ("import sys\nsys.exit(3)\n", "SystemExit: 3"),
    (SQUARE_GRADER + "grader.add_preprocessor(lambda code: 1 / 0 if 'x * x' in code else code)\n",  # the answer's
     "ZeroDivisionError"),
    (SQUARE_GRADER + "grader.add_preprocessor(lambda code: None)\n", "not text"),
    (SQUARE_GRADER + "grader.tests()[0].short_description = object()\n", "not JSON"),
    ("from grader_support import gradelib\ngrader = gradelib.Grader()\n"
     "grader.add_test(gradelib.InvokeStudentFunctionTest('cube', [1]))\n", "the staff run failed"),
])
def test_grader_side_failures_are_the_staff_message(tmp_path, grader, detail):
    reply = grade(tmp_path, grader, submission="def square(x):\n    return x*x\n")
    assert errors(reply) == [L364], reply
    assert detail in "\n".join(reply["staff_log"])
    assert detail not in reply["msg"] and "Traceback" not in reply["msg"]  # staff detail never reaches the learner


def test_a_preprocessor_failing_on_the_submission_only_is_a_staff_failure(tmp_path):
    grader = SQUARE_GRADER + "grader.add_preprocessor(lambda code: code if 'LEARNER' not in code else 1 / 0)\n"
    reply = grade(tmp_path, grader, submission=SQUARE + "# LEARNER\n")
    assert errors(reply) == [L364] and "ZeroDivisionError" in reply["staff_log"][0]


def test_an_input_check_that_raises_passes_and_the_others_still_run(tmp_path):
    grader = SQUARE_GRADER + textwrap.dedent("""
        grader.add_input_check(lambda code: 1 / 0)
        grader.add_input_check(gradelib.prohibited_substring("**"))
    """)
    reply = grade(tmp_path, grader, submission="def square(x):\n    return x ** 2\n")
    assert errors(reply) == ["Your code should not contain '**'."]
    assert grade(tmp_path, grader)["correct"] is True


def test_a_grader_subclass_with_its_own_input_errors_is_asked_as_a_whole(tmp_path):
    grader = SQUARE_GRADER.replace("grader = gradelib.Grader()", textwrap.dedent("""
        class Strict(gradelib.Grader):
            def input_errors(self, code):
                return ["custom: %d lines" % len(code.splitlines())]
        grader = Strict()
    """))
    assert errors(grade(tmp_path, grader)) == ["custom: 2 lines"]


@pytest.mark.parametrize("payload,shown", [({"hide_output": "yes"}, False), ({"hide_output": 0}, True), ({}, True)])
def test_hide_output_uses_python_truthiness(tmp_path, payload, shown):
    reply = grade(tmp_path, payload=payload)
    assert ("result-output" in reply["msg"]) is shown and reply["correct"] is True


def test_skip_grader_needs_nothing_else(tmp_path):
    reply = course(tmp_path, "raise SystemExit\n", None, "not python", b"", payload={"skip_grader": 1})
    assert (reply["correct"], reply["score"], reply["outcome"]) == (True, 1, "skipped")
    assert legacy_reply.status(reply["msg"]) == "CORRECT" and "result-" not in reply["msg"]


def test_lang_translates_course_side_messages_and_bad_lang_falls_back(tmp_path):
    catalog = ("eo", {"": "Content-Type: text/plain; charset=UTF-8\n",
                      L397: "Ni ne povis ruli vian solvon (L397)."})
    reply = course(tmp_path, SQUARE_GRADER, SQUARE, SQUARE, b"junk", payload={"lang": "eo"}, catalog=catalog)
    assert errors(reply) == ["Ni ne povis ruli vian solvon (L397)."]
    reply = course(tmp_path, SQUARE_GRADER, SQUARE, SQUARE, b"junk", payload={"lang": ["eo"]})
    assert errors(reply) == [L397]
    assert [line for line in reply["staff_log"] if "lang" in line] == ["payload lang ['eo'] is not a language name; using en"]


def test_course_code_writing_to_fd_1_cannot_corrupt_the_reply(tmp_path):
    grader = SQUARE_GRADER + textwrap.dedent("""
        import os, sys
        os.write(1, b"raw at import\\n")
        sys.__stdout__.write("stdout at import\\n")
        def noisy(expected, actual):
            os.write(1, b"raw in compare\\n")
            print("print in compare")
            return expected == actual
        for test in grader.tests():
            test.compare_results = noisy
    """)
    box_stdout = learner_stdout(tmp_path, SQUARE_GRADER, SQUARE)
    reply = course(tmp_path, grader, SQUARE, SQUARE, box_stdout)  # course() asserts a single JSON line
    assert (reply["correct"], reply["score"]) == (True, 1.0)


def test_descriptions_and_args_drawn_from_rand_at_import_follow_the_seed(tmp_path):
    grader = textwrap.dedent("""
        import gradelib
        grader = gradelib.Grader()
        x = gradelib.rand.randint(0, 10 ** 9)
        grader.add_test(gradelib.InvokeStudentFunctionTest("square", [x]))
    """)
    import random
    for seed in (1, 2):
        x = random.Random(seed).randint(0, 10 ** 9)
        reply = grade(tmp_path, grader, seed=seed)
        assert reply["correct"] is True
        assert legacy_reply.tests(reply["msg"])[0]["short"] == "Test: square(%d)" % x


def test_compare_sees_the_truncated_output_and_the_full_expected(tmp_path):
    grader = textwrap.dedent("""
        import gradelib
        grader = gradelib.Grader()
        def lengths(expected, actual):
            print(len(expected), len(actual))
            return len(actual) == 5000 + len("...OUTPUT TRUNCATED") and len(expected) == 7001
        grader.add_test(gradelib.Test(lambda s: s.show(), "Test: show", compare=lengths))
    """)
    answer = "def show():\n    print('a' * 7000)\n"
    reply = grade(tmp_path, grader, answer=answer, submission="def show():\n    print('b' * 9000)\n")
    assert (reply["correct"], reply["score"]) == (True, 1.0)
