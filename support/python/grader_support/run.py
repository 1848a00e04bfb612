"""The runner: ``python -B -m grader_support.run GRADER.py SUBMISSION.py SEED`` (docs/legacy-graders.md).

Started with the jail directory as the working directory (first on ``sys.path`` under ``-m``), holding the
grader file and ``submission.py``. Imports both, runs every test of the grader on the submission module and
prints one JSON line:

    {"grader": {"status": "ok"|"error"|"notrun", "stdout": ..., "exception"?: ...},
     "submission": {"status": "ok"|"error"|"caught"|"notrun", "stdout"?: ..., "exception"?: ...},
     "results": [[short_description, detailed_description, output], ...], "exceptions": N}

The course-side flow calls ``run_tests`` in-process for the staff run (``grader_support.course``), and the
learner's jail calls it after preparing the submission (``grader_support.student``).
"""
import gettext
import json
import random
import sys

from . import gradelib, graderutil

USAGE = "Usage: run.py GRADER SUBMISSION seed"
INTERFERED = "Your code interfered with our grader.  Don't use bare 'except' clauses."


def install_runner_translation():
    """gettext for the runs: ``conf/locale`` relative to the jail, which never holds catalogs.

    As in the reference, strings produced inside the runs are therefore always English; the course's
    catalogs are used only by the course-side flow.
    """
    gettext.translation("graders", localedir="conf/locale", languages=[graderutil.LANGUAGE],
                        fallback=True).install()


def run_tests(grader_name, submission_name, seed, watch=None):
    """Import the grader and the submission (by module name) and run the tests; returns the output dict.

    ``watch`` (the course side's staff run only) is told the two seeded generators before anything runs
    and when the run is over (``seedwatch.SeedWatch``).
    """
    gradelib.rand = random.Random(seed)
    random.seed(seed + 1)
    if watch is None:
        return _run_seeded(grader_name, submission_name)
    watch.start(gradelib.rand, random.random.__self__)
    try:
        return _run_seeded(grader_name, submission_name)
    finally:
        watch.stop()


def _run_seeded(grader_name, submission_name):
    output = {"grader": {"status": "notrun"}, "submission": {"status": "notrun"}, "results": [], "exceptions": 0}
    grader_output, submission_output = output["grader"], output["submission"]

    with graderutil.captured_stdout() as printed:
        try:
            grader_module = __import__(grader_name)
            grader_output["status"] = "ok"
            grader = grader_module.grader
        except BaseException:
            grader_output["status"] = "error"
            grader_output["exception"] = graderutil.format_exception()
            output["exceptions"] += 1
    grader_output["stdout"] = printed.getvalue()
    if grader_output["status"] != "ok":
        return output

    with graderutil.captured_stdout() as printed:
        try:
            submission_module = __import__(submission_name)
            submission_output["status"] = "ok"
        except BaseException:
            submission_output["status"] = "error"
            submission_output["exception"] = graderutil.format_exception(main_file=submission_name, hide_file=True)
            output["exceptions"] += 1
    submission_output["stdout"] = printed.getvalue()

    try:
        if submission_output["status"] == "ok":
            for test in grader.tests():  # the live list: tests added while running run too
                output["results"].append(_run_one_test(test, submission_module, submission_name, grader, output))
        if grader.uncaught_end_tests():
            # The learner's code caught an EndTest (a bare except): its results cannot be trusted.
            submission_output["status"] = "caught"
            submission_output["exception"] = gradelib._tr(INTERFERED)
    except BaseException:
        grader_output["status"] = "error"
        grader_output["exception"] = graderutil.format_exception()
        output["exceptions"] += 1
    return output


def _run_one_test(test, submission_module, submission_name, grader, output):
    """One ``[short, long, output]`` result; the output is what the test printed, then any exception."""
    with graderutil.captured_stdout() as printed:
        try:
            test(submission_module)
            exception_text = ""
        except gradelib.EndTest:
            grader.caught_end_test()
            exception_text = ""
        except BaseException:
            exception_text = graderutil.format_exception(main_file=submission_name, hide_file=True)
            output["exceptions"] += 1
    text = printed.getvalue()
    if text and not text.endswith("\n"):
        text += "\n"
    return [test.short_description, test.detailed_description, text + exception_text]


def run(grader_name, submission_name, seed):
    """The reference entry point: run the tests and print the output as one JSON line."""
    output = run_tests(grader_name, submission_name, seed)
    print(json.dumps(output))
    return output


def main(args):
    if len(args) != 3:
        print(USAGE)
        return 0
    # The jail's package directory is read-only; never try to write bytecode next to the course's files.
    sys.dont_write_bytecode = True
    install_runner_translation()
    grader_path, submission_path, seed = args
    run(grader_path[:-3], submission_path[:-3], int(seed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
