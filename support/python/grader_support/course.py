"""The course's jail: ``python -B -m grader_support.course GRADER.py ANSWER SUBMISSION LEARNER_STDOUT SEED PAYLOAD FILE_SIZE [STAFF]``.

Everything of xqueue-watcher's JailedGrader that runs course code, in one process, after the learner's jail
has run (docs/legacy-graders.md):

1. load the grader (its own copy), read the answer;
2. the input checks on the raw submission (learner text is data here: it is never executed);
3. preprocess the answer and the submission;
4. the staff run: ``run.run_tests`` in this process, on the preprocessed answer written as ``submission.py``
   (or its results from ``STAFF``, the host's staff-result cache, when they were made from the same code);
5. read the learner jail's stdout (``LEARNER_STDOUT``, untrusted bytes) as the learner run's result;
6. compare, score and render.

Arguments: the grader file, the answer (``answer.py``'s bytes; a missing file means there is none), the raw
submission, the learner jail's stdout, the seed both runs use, a JSON file holding the grader payload, and
the file-size limit of the runs (bytes or ``unlimited``), applied once ``submission.py`` is written, and
optionally a file of cached staff results (``-`` or absent: none).
The course's ``conf/locale`` is expected at ``locale/`` (codejail's place for it); the runs never see it.

Prints one JSON line: ``{"correct": bool, "score": number, "msg": str, "outcome": str, "staff_log": [str]}``.
``staff_log`` holds internal detail (tracebacks of course code) for staff logs only, never for learners.
When the staff run ran here and succeeded, the line also has ``staff_run``: the text of a JSON object
``{"answer_code": str, "results": [...], "seed_free": bool, "host_compare": bool}`` for the host's cache
(``seedwatch``; ``host_compare``: see ``_host_can_compare``).
"""
import json
import os
import random
import sys

from . import gradelib, graderutil, jailed, run
from .render import render_results

USAGE = "Usage: course.py GRADER ANSWER SUBMISSION LEARNER_STDOUT seed PAYLOAD FILE_SIZE [STAFF]"
LOCALE_DIR = "locale"
MAX_SHOWN_OUTPUT = 5000
TRUNCATED = "...OUTPUT TRUNCATED"

# The reference's messages; each goes through the course's ``_`` when used.
STAFF_FAILED = "There was a problem running the staff solution (Staff debug: L364)"
LEARNER_RUN_EMPTY = "There was a problem running your solution (Staff debug: L379)."
LEARNER_RUN_FAILED = "We couldn't run your solution (Staff debug: L397)."
LEARNER_ERROR_WITHOUT_TEXT = "There was an error thrown while running your solution."
DIFFERENT_COUNTS = ("Something went wrong: different numbers of tests ran for your code and for our "
                    "reference code.")
TESTS_MISMATCH = "Something went wrong: tests don't match up."
NO_TESTS = ("There was a problem while running your code (Staff debug: L450). Please contact the course "
            "staff for assistance.")


def _truthy(value):
    """Python truthiness of a payload value, as the reference tests ``payload.get(...)``."""
    return bool(value)


class _Reply(Exception):
    """Ends the flow with a reply (raised from deep inside; caught once in ``grade``)."""

    def __init__(self, outcome, errors, tests=(), correct=False, score=0):
        super().__init__(outcome)
        self.outcome, self.errors, self.tests, self.correct, self.score = outcome, errors, list(tests), correct, score


class Flow:
    def __init__(self, grader_file, answer_file, submission_file, learner_stdout_file, seed, payload,
                 file_size=None, staff_file=None):
        self.grader_file, self.answer_file = grader_file, answer_file
        self.submission_file, self.learner_stdout_file = submission_file, learner_stdout_file
        self.seed, self.payload, self.file_size, self.staff_file = seed, payload, file_size, staff_file
        self.lang = "en"  # until grade() reads the payload
        self.staff_log = []
        self.staff_record = None  # the staff run's results for the host's cache, when it ran here

    def log(self, text):
        self.staff_log.append(text)

    def grade(self):
        """The reply as a dict; every path ends in one."""
        try:
            if _truthy(self.payload.get("skip_grader")):
                raise _Reply("skipped", [], correct=True, score=1)
            self.lang = self._language()
            self._install_course_translation()
            self._grade()
        except _Reply as reply:
            results = {"correct": reply.correct, "score": reply.score, "errors": reply.errors, "tests": reply.tests}
            line = {"correct": reply.correct, "score": reply.score, "msg": render_results(results),
                    "outcome": reply.outcome, "staff_log": self.staff_log}
            if self.staff_record is not None:
                line["staff_run"] = json.dumps(self.staff_record)
            return line
        raise AssertionError("the flow ended without a reply")

    def _language(self):
        lang = self.payload.get("lang", "en")
        if not isinstance(lang, str) or not lang:
            self.log("payload lang %r is not a language name; using en" % (lang,))
            return "en"
        return lang

    def _install_course_translation(self):
        jailed.install_course_translation(os.path.abspath(LOCALE_DIR), self.lang)

    def _staff_failure(self, detail):
        self.log(detail)
        raise _Reply("staff_error", [gradelib._tr(STAFF_FAILED)])

    def _grade(self):
        answer = self._read_answer()
        try:
            grader = jailed.load_grader(self.grader_file)
        except BaseException:
            self._staff_failure("the grader failed to load:\n" + graderutil.format_exception())
        with open(self.submission_file, "rb") as f:
            submission = jailed.decode_submission(f.read())

        errors = jailed.input_errors(grader, submission)
        if errors:
            raise _Reply("input_errors", errors)
        try:
            answer_code = jailed.preprocess(grader, answer)
            jailed.preprocess(grader, submission)  # the learner's jail preprocessed it; a failure is ours
        except BaseException:
            self._staff_failure("a preprocessor failed:\n" + graderutil.format_exception())

        staff_results = self._cached_staff_results(answer_code)
        if staff_results is None:
            staff_results = self._staff_run(answer_code, answer)
            if self.staff_record is not None:
                self.staff_record["host_compare"] = _host_can_compare(grader, staff_results)
        learner_results = self._learner_results()
        self._compare(grader, staff_results, learner_results)

    def _read_answer(self):
        try:
            with open(self.answer_file, encoding="utf-8") as f:
                return f.read()
        except (OSError, UnicodeDecodeError) as e:
            self._staff_failure("answer.py cannot be read as UTF-8 text: %s" % e)

    def _cached_staff_results(self, answer_code):
        """The host's cached staff results for exactly this preprocessed answer, or None.

        On a hit the process is left as the staff run would leave it for ``compare_results``: the file-size
        limit lowered, the runner's ``sys.argv``, and both generators freshly seeded (a cached run never
        consumed them: the seed is in the key unless ``seedwatch`` proved the run seed-free).
        """
        if not self.staff_file:
            return None
        try:
            with open(self.staff_file, encoding="utf-8") as f:
                cached = json.load(f)
            if cached["answer_code"] != answer_code or not isinstance(cached["results"], list):
                self.log("the cached staff results are for other code: running the staff run")
                return None
        except (OSError, ValueError, KeyError, TypeError):
            self.log("the cached staff results cannot be read: running the staff run")
            return None
        jailed.limit_file_size(self.file_size)
        jailed.set_runner_argv(self.grader_file, self.seed)
        gradelib.rand = random.Random(self.seed)
        random.seed(self.seed + 1)
        return cached["results"]

    def _staff_run(self, answer_code, answer):
        """Run the tests on the answer here, as the reference's separate staff run would."""
        grader_name = os.path.basename(self.grader_file)[:-3]
        try:
            jailed.write_module("submission", answer_code)
        except OSError as e:
            self._staff_failure("cannot write the preprocessed answer: %s" % e)
        jailed.limit_file_size(self.file_size)
        run.install_runner_translation()  # inside the runs, strings stay English (as in the reference)
        jailed.set_runner_argv(self.grader_file, self.seed)
        from .seedwatch import SeedWatch, seed_free  # only a staff run pays for it
        watch = SeedWatch()
        try:
            output = run.run_tests(grader_name, "submission", self.seed, watch)
            # Through JSON, as the reference's result crosses a process boundary: same types, same failures.
            output = json.loads(json.dumps(output))
        except BaseException:
            self._staff_failure("the staff run's result is not JSON:\n" + graderutil.format_exception())
        finally:
            jailed.forget_modules("submission", grader_name)
            self._install_course_translation()
        if (output["exceptions"] != 0 or output["grader"]["status"] != "ok"
                or output["submission"]["status"] != "ok"):
            self._staff_failure("the staff run failed: " + json.dumps(output, indent=1))
        try:
            with open(self.grader_file, encoding="utf-8", errors="replace") as f:
                grader_text = f.read()
        except OSError:
            grader_text = "argv"  # unknown text: never seed-free
        self.staff_record = {"answer_code": answer_code, "results": output["results"],
                             "seed_free": seed_free(watch, grader_text, answer)}
        return output["results"]

    def _learner_results(self):
        """The learner run's results, or the reply its failure calls for (the reference's order)."""
        _ = gradelib._tr
        with open(self.learner_stdout_file, "rb") as f:
            stdout = f.read()
        if not stdout:
            raise _Reply("learner_error", [_(LEARNER_RUN_EMPTY), _(LEARNER_RUN_FAILED)])
        try:
            output = json.loads(stdout)
        except (ValueError, RecursionError):
            self.log("the learner run's stdout is not JSON (%d bytes)" % len(stdout))
            raise _Reply("learner_error", [_(LEARNER_RUN_FAILED)])
        problem = _shape_problem(output)
        if problem:
            self.log("the learner run's output is not a run result: " + problem)
            raise _Reply("learner_error", [_(LEARNER_RUN_FAILED)])
        if output["grader"]["status"] != "ok":
            self.log("the grader failed in the learner's run: %s" % output["grader"].get("exception"))
            raise _Reply("learner_error", [_(LEARNER_RUN_FAILED)])
        submission = output["submission"]
        if submission["status"] != "ok":
            raise _Reply("learner_error", [submission.get("exception") or _(LEARNER_ERROR_WITHOUT_TEXT)])
        return output["results"]

    def _compare(self, grader, staff_results, learner_results):
        _ = gradelib._tr
        if len(staff_results) != len(learner_results):
            raise _Reply("mismatch", [_(DIFFERENT_COUNTS)])
        try:
            tests = list(grader.tests())
        except BaseException:
            self._staff_failure("grader.tests() failed:\n" + graderutil.format_exception())
        hide_output = _truthy(self.payload.get("hide_output"))
        values, shown = [], []
        for staff, learner, test in zip(staff_results, learner_results, tests):
            short, long, expected = staff
            if short != learner[0]:
                raise _Reply("mismatch", [_(TESTS_MISMATCH)], shown)
            actual = learner[2]
            if len(actual) > MAX_SHOWN_OUTPUT:
                actual = actual[:MAX_SHOWN_OUTPUT] + TRUNCATED
            try:
                value = _compare_value(test.compare_results(expected, actual))
            except gradelib.EndTest as e:
                actual += "\n*** {0}: {1} ***".format(_("ERROR"), str(e))
                value = False
            except BaseException:
                self._staff_failure("compare_results raised:\n" + graderutil.format_exception())
            values.append(value)
            if not hide_output:
                shown.append((short, long, value, expected, actual))
        if not values:
            raise _Reply("no_tests", [_(NO_TESTS)], shown)
        raise _Reply("graded", [], shown, correct=all(values), score=sum(values) / len(values))


def _host_can_compare(grader, staff_results):
    """Whether the host may compare and render later replies itself from the cached staff results.

    True when the grader keeps ``Grader.tests`` (so asking for the tests here has no effect of its own),
    every test is a ``gradelib.Test`` comparing with ``Test``'s own equality (no ``compare=`` function, no
    subclass override) and there are as many tests as staff results: then ``_compare`` runs no course code,
    and its reply is a pure function of the staff results, the learner's output and ``hide_output``
    (docs/legacy-graders.md, "The host's own comparison").
    """
    try:
        if not isinstance(grader, gradelib.Grader) or type(grader).tests is not gradelib.Grader.tests:
            return False
        tests = list(grader.tests())
        if len(tests) != len(staff_results):
            return False
        for test in tests:
            if not isinstance(test, gradelib.Test) or "compare_results" in vars(test):
                return False
            if type(test).compare_results is not gradelib.Test.compare_results:
                return False
        return True
    except BaseException:
        return False


def _compare_value(value):
    """A compare result as the score adds it: numbers count with their value, anything else as 0/1."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return bool(value)
        if number != number or number in (float("inf"), float("-inf")):
            return bool(value)  # a score must stay a JSON number
        return int(value) if isinstance(value, int) else number
    return bool(value)


def _shape_problem(output):
    """Why ``output`` is not shaped like a runner's result (None if it is). Learner-controlled: check all."""
    if not isinstance(output, dict):
        return "not an object"
    if not isinstance(output.get("grader"), dict) or not isinstance(output.get("submission"), dict):
        return "no grader or submission object"
    exception = output["submission"].get("exception")
    if exception is not None and not isinstance(exception, str):
        return "submission exception is not text"
    results = output.get("results")
    if not isinstance(results, list):
        return "results is not a list"
    for result in results:
        if not isinstance(result, list) or len(result) != 3 or not isinstance(result[2], str):
            return "a result is not [short, long, output text]"
    return None


def _claim_stdout():
    """Keep fd 1 for the reply alone: anything course code writes to fd 1 goes to stderr instead."""
    reply_fd = os.dup(1)
    os.dup2(2, 1)
    return os.fdopen(reply_fd, "w", encoding="ascii")


def main(args):
    if len(args) not in (7, 8):
        print(USAGE)
        return 2
    sys.dont_write_bytecode = True
    reply_stream = _claim_stdout()
    grader_file, answer_file, submission_file, learner_stdout_file, seed, payload_file, file_size = args[:7]
    staff_file = args[7] if len(args) == 8 and args[7] != "-" else None
    try:
        with open(payload_file, encoding="utf-8") as f:
            payload = json.load(f)
        if not isinstance(payload, dict):
            payload = {}
        reply = Flow(grader_file, answer_file, submission_file, learner_stdout_file, int(seed), payload,
                     jailed.parse_file_size(file_size), staff_file).grade()
    except BaseException:
        # Our own failure, not the course's or the learner's: still one reply, detail for the staff.
        results = {"correct": False, "score": 0, "errors": [STAFF_FAILED], "tests": []}
        reply = {"correct": False, "score": 0, "msg": render_results(results), "outcome": "internal_error",
                 "staff_log": [graderutil.format_exception()]}
    reply_stream.write(json.dumps(reply) + "\n")
    reply_stream.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
