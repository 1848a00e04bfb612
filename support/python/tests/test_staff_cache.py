"""The course side's half of the host's staff-result cache: the ``staff_run`` record it reports, the proof
that a staff run did not use its seed (``seedwatch``), and replies that are the same with cached results."""
import json
import pathlib
import subprocess
import sys
import tempfile
import textwrap

import pytest

from conftest import SUPPORT_DIR
from test_course import SQUARE, SQUARE_GRADER, learner_stdout

RANDOM_GRADER = """
from grader_support import gradelib
grader = gradelib.Grader()
def doubles(submission):
    x = %s
    print(submission.double(x))
grader.add_test(gradelib.Test(doubles, "Test: double a number"))
"""
DOUBLE = "def double(x):\n    return 2 * x\n"


def course(tmp_path, grader, answer, submission, seed=5, staff=None):
    """The course entry point, with the real learner jail's stdout; `staff` is a cached record's text."""
    stdout = learner_stdout(tmp_path, grader, submission, seed)
    box = pathlib.Path(tempfile.mkdtemp(prefix="course-", dir=tmp_path))
    (box / "grader.py").write_text(textwrap.dedent(grader))
    (box / "answer.txt").write_text(answer)
    (box / "submission.txt").write_text(submission)
    (box / "learner.out").write_bytes(stdout)
    (box / "payload.json").write_text("{}")
    args = ["grader.py", "answer.txt", "submission.txt", "learner.out", str(seed), "payload.json", "0"]
    if staff is not None:
        (box / "staff.json").write_text(staff)
        args.append("staff.json")
    done = subprocess.run([sys.executable, "-B", "-m", "grader_support.course"] + args, cwd=box,
                          env={"PYTHONPATH": SUPPORT_DIR}, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def record(reply):
    return json.loads(reply["staff_run"])


def test_a_staff_run_reports_its_results_and_that_it_used_no_seed(tmp_path):
    reply = course(tmp_path, SQUARE_GRADER, SQUARE, SQUARE)
    assert reply["correct"] is True
    staff = record(reply)
    assert staff["seed_free"] is True
    assert staff["answer_code"] == "# coding: utf8\n" + SQUARE
    assert [r[2] for r in staff["results"]] == ["9\n", "4\n"]


def test_cached_results_give_the_same_reply_without_a_staff_run(tmp_path):
    for submission in (SQUARE, "def square(x):\n    return x + x\n", "def square(x):\n    return 1 / 0\n"):
        fresh = course(tmp_path, SQUARE_GRADER, SQUARE, submission)
        cached = course(tmp_path, SQUARE_GRADER, SQUARE, submission, staff=fresh["staff_run"])
        assert "staff_run" not in cached  # nothing ran, nothing to report
        assert {k: cached[k] for k in ("correct", "score", "msg", "outcome")} == \
               {k: fresh[k] for k in ("correct", "score", "msg", "outcome")}


def test_cached_results_for_other_code_are_not_used(tmp_path):
    other = json.dumps({"answer_code": "# coding: utf8\ndef square(x):\n    return 0\n",
                        "results": [["Test: square(3)", None, "0\n"], ["Test: square(-2)", None, "0\n"]],
                        "seed_free": True})
    reply = course(tmp_path, SQUARE_GRADER, SQUARE, SQUARE, staff=other)
    assert reply["correct"] is True  # the real staff run ran
    assert "staff_run" in reply
    assert any("other code" in line for line in reply["staff_log"])


def test_unreadable_cached_results_fall_back_to_a_staff_run(tmp_path):
    reply = course(tmp_path, SQUARE_GRADER, SQUARE, SQUARE, staff="not json")
    assert reply["correct"] is True and "staff_run" in reply


def test_cached_results_replay_the_seeding_compare_results_would_see(tmp_path):
    grader = SQUARE_GRADER + textwrap.dedent("""
        class Drawn(gradelib.Test):
            def compare_results(self, expected, actual):
                return gradelib.rand.random() == __import__("random").Random(5).random()
        grader.add_test(Drawn(lambda submission: print(1), "Test: compare draws"))
    """)
    fresh = course(tmp_path, grader, SQUARE, SQUARE)
    assert fresh["correct"] is True and record(fresh)["seed_free"] is True
    cached = course(tmp_path, grader, SQUARE, SQUARE, staff=fresh["staff_run"])
    assert cached["correct"] is True and cached["msg"] == fresh["msg"]


@pytest.mark.parametrize("draw", [
    "gradelib.rand.randint(1, 9)",                      # a draw from Python code
    "__import__('random').randint(1, 9)",               # the random module's generator
    "[*map(gradelib.rand.getrandbits, [4])][0]",        # a draw made from C code: seen by the state
    "len(gradelib.rand.getstate())",                    # a read of the state, no draw
    "__import__('copy').deepcopy(gradelib.rand).random() and 3",  # a copy reads the state
])
def test_a_staff_run_that_touches_a_seeded_generator_is_not_seed_free(tmp_path, draw):
    reply = course(tmp_path, RANDOM_GRADER % draw, DOUBLE, DOUBLE)
    assert reply["correct"] is True
    assert record(reply)["seed_free"] is False


@pytest.mark.parametrize("text", ["int(sys.argv[3])", "len(sys.orig_argv)", "open('/proc/self/cmdline').read()"])
def test_a_grader_naming_the_command_line_is_not_seed_free(tmp_path, text):
    grader = "import sys\n" + RANDOM_GRADER % "3" + "# %s\n" % text
    reply = course(tmp_path, grader, DOUBLE, DOUBLE)
    assert record(reply)["seed_free"] is False
    answer = "import sys\n# %s\n" % text + DOUBLE
    assert record(course(tmp_path, RANDOM_GRADER % "3", answer, DOUBLE))["seed_free"] is False
    assert record(course(tmp_path, RANDOM_GRADER % "3", DOUBLE, DOUBLE))["seed_free"] is True


def test_a_failed_staff_run_reports_nothing_to_cache(tmp_path):
    reply = course(tmp_path, SQUARE_GRADER, "def square(x):\n    return 1 / 0\n", SQUARE)
    assert reply["outcome"] == "staff_error" and "staff_run" not in reply


CUSTOM_COMPARE_GRADER = SQUARE_GRADER + """
grader.add_test(gradelib.Test(lambda s: print(s.square(5)), "Test: square(5), loosely",
                              compare=lambda expected, actual: expected.strip() == actual.strip()))
"""

SUBCLASS_COMPARE_GRADER = SQUARE_GRADER + """
class Loose(gradelib.Test):
    def compare_results(self, expected, actual):
        return expected.strip() == actual.strip()
grader.add_test(Loose(lambda s: print(s.square(5)), "Test: square(5), loosely"))
"""

CUSTOM_TESTS_GRADER = SQUARE_GRADER + """
class Counting(gradelib.Grader):
    def tests(self):
        return grader._tests
grader.__class__ = Counting
"""


@pytest.mark.parametrize("grader, host_compare", [
    (SQUARE_GRADER, True),
    (CUSTOM_COMPARE_GRADER, False),   # a compare= function is course code
    (SUBCLASS_COMPARE_GRADER, False),  # so is an overriding compare_results
    (CUSTOM_TESTS_GRADER, False),      # asking an overridden tests() could change what compare sees
])
def test_the_record_says_whether_the_host_may_compare(tmp_path, grader, host_compare):
    assert record(course(tmp_path, grader, SQUARE, SQUARE))["host_compare"] is host_compare
