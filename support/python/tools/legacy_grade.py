#!/usr/bin/env python3
"""Grade a legacy problem WITHOUT a jail: the host side of docs/legacy-graders.md, in Python.

For tests and for developing the package only. It runs course and learner code as the calling user with
nothing but CPU and time limits: never point it at code you do not trust. polygrader's Swift host does the
same steps with every interpreter in the jail.

    legacy_grade.py GRADER.py SUBMISSION [--payload JSON] [--seed N] [--grader-root DIR] [--json]

Each run gets a fresh directory laid out as the jail's box would be and an environment holding only
PYTHONPATH (pointing at the package) and PYTHONHASHSEED.
"""
import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile

SUPPORT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The boxes' file names (docs/legacy-graders.md, "The host's steps").
SUBMISSION_DATA = "submission.txt"
ANSWER_DATA = "answer.txt"
LEARNER_STDOUT = "learner.out"
PAYLOAD_FILE = "payload.json"
LOCALE_DIR = "locale"

# codejail's defaults where they are sane (file size 0: no writes), a CPU limit that tolerates a loaded host.
DEFAULT_LIMITS = {"cpu": 2, "wall": 10, "output": 1 << 20, "file_size": 0}
# What the host posts when the course side itself gives no usable reply (untranslated L364).
COURSE_FAILURE_MSG = (
    '\n<div class="test">\n<header>Test results</header>\n  <section>\n    <div class="shortform">\n'
    '    ERROR\n    </div>\n    <div class="longform">\n      <div class="result-errors"><ul>\n'
    '<li><pre>There was a problem running the staff solution (Staff debug: L364)</pre></li>\n</ul>\n</div>\n'
    '      \n    </div>\n  </section>\n</div>\n')
SKIPPED_MSG = (
    '\n<div class="test">\n<header>Test results</header>\n  <section>\n    <div class="shortform">\n'
    '    CORRECT\n    </div>\n    <div class="longform">\n      \n      \n    </div>\n  </section>\n</div>\n')


def find_grader_root(grader_path):
    """The nearest directory, walking up from the grader's, that holds ``conf/locale`` (or None)."""
    directory = os.path.dirname(os.path.abspath(grader_path))
    while True:
        if os.path.isdir(os.path.join(directory, "conf", "locale")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _run_in_box(python, box, module, args, limits, stdin=b""):
    """One interpreter start in ``box`` with limits; returns its stdout (capped), return code and stderr."""
    cpu = limits["cpu"]

    def set_limits():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    env = {"PYTHONPATH": SUPPORT_DIR, "PYTHONHASHSEED": "0"}
    try:
        done = subprocess.run([python, "-B", "-m", module] + args, cwd=box, env=env, input=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=limits["wall"],
                              preexec_fn=set_limits)
    except subprocess.TimeoutExpired:
        return b"", None, b"wall time limit"
    return done.stdout[:limits["output"]], done.returncode, done.stderr


def _truthy(value):
    return bool(value)


def grade(grader_path, submission_bytes, payload=None, seed=None, grader_root=None, python=None, limits=None):
    """The reply dict (``correct``, ``score``, ``msg``, plus ``outcome``/``staff_log`` from the course side)."""
    payload = payload or {}
    python = python or sys.executable
    limits = dict(DEFAULT_LIMITS, **(limits or {}))
    if _truthy(payload.get("skip_grader")):
        return {"correct": True, "score": 1, "msg": SKIPPED_MSG, "outcome": "skipped", "staff_log": []}
    seed = random.randint(0, 20000) if seed is None else seed
    grader_path = os.path.abspath(grader_path)
    grader_name = os.path.basename(grader_path)
    answer_path = os.path.join(os.path.dirname(grader_path), "answer.py")
    if grader_root is None:
        grader_root = find_grader_root(grader_path)
    file_size = "unlimited" if limits["file_size"] is None else str(limits["file_size"])

    with tempfile.TemporaryDirectory(prefix="legacy-learner-") as learner_box, \
            tempfile.TemporaryDirectory(prefix="legacy-course-") as course_box:
        # The learner's box: the grader alone (the raw submission comes on stdin); never the answer.
        shutil.copyfile(grader_path, os.path.join(learner_box, grader_name))
        learner_stdout, _, _ = _run_in_box(python, learner_box, "grader_support.student",
                                           [grader_name, str(seed), file_size], limits, stdin=submission_bytes)

        # The course's box: grader, answer, submission, the learner's stdout as data, payload, catalogs.
        shutil.copyfile(grader_path, os.path.join(course_box, grader_name))
        if os.path.isfile(answer_path):
            shutil.copyfile(answer_path, os.path.join(course_box, ANSWER_DATA))
        with open(os.path.join(course_box, SUBMISSION_DATA), "wb") as f:
            f.write(submission_bytes)
        with open(os.path.join(course_box, LEARNER_STDOUT), "wb") as f:
            f.write(learner_stdout)
        with open(os.path.join(course_box, PAYLOAD_FILE), "w") as f:
            json.dump(payload, f)
        if grader_root and os.path.isdir(os.path.join(grader_root, "conf", "locale")):
            shutil.copytree(os.path.join(grader_root, "conf", "locale"), os.path.join(course_box, LOCALE_DIR))
        course_stdout, _, course_stderr = _run_in_box(
            python, course_box, "grader_support.course",
            [grader_name, ANSWER_DATA, SUBMISSION_DATA, LEARNER_STDOUT, str(seed), PAYLOAD_FILE, file_size],
            dict(limits, output=16 << 20))
    return _course_reply(course_stdout, course_stderr)


def _course_reply(stdout, stderr):
    """Validate the course side's line as the host must: untrusted shape and types."""
    try:
        reply = json.loads(stdout)
        valid = (isinstance(reply, dict) and isinstance(reply.get("correct"), bool)
                 and isinstance(reply.get("score"), (int, float)) and not isinstance(reply.get("score"), bool)
                 and isinstance(reply.get("msg"), str))
    except ValueError:
        valid = False
    if not valid:
        return {"correct": False, "score": 0, "msg": COURSE_FAILURE_MSG, "outcome": "course_failed",
                "staff_log": ["the course side gave no reply: %r" % stderr[-2000:]]}
    return reply


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("grader")
    parser.add_argument("submission")
    parser.add_argument("--payload", default="{}")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--grader-root")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    with open(options.submission, "rb") as f:
        submission = f.read()
    reply = grade(options.grader, submission, json.loads(options.payload), options.seed, options.grader_root)
    if options.json:
        print(json.dumps(reply))
    else:
        print("correct: %s  score: %s" % (reply["correct"], reply["score"]))
        print(reply["msg"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
