"""The learner's jail: ``python -B -m grader_support.student GRADER.py SEED FILE_SIZE < SUBMISSION``.

The jail holds the grader file; the raw submission comes on stdin (so the box looks like the reference's:
the grader and ``submission.py``), never ``answer.py``. Before any learner code runs, this process does what
the course side does, only to decide whether to run at all and with what code: it loads its own copy of the
grader, runs the input checks and the preprocessors on the raw text, and writes ``submission.py``. Then it
lowers the file-size limit to ``FILE_SIZE`` (bytes, or ``unlimited``), runs the tests exactly as
``grader_support.run`` does, and prints the runner's JSON line.

When the learner's code is not to run, it prints ``{"stopped": "import"|"input_errors"|"preprocess"}``
instead. Nothing this process prints is trusted: the course side repeats the checks and the preprocessing
itself and reads this output only as the learner run's result (docs/legacy-graders.md).
"""
import json
import sys

from . import jailed, run

USAGE = "Usage: student.py GRADER seed FILE_SIZE < SUBMISSION"


def _stop(reason):
    print(json.dumps({"stopped": reason}))
    return 0


def main(args):
    if len(args) != 3:
        print(USAGE)
        return 2
    sys.dont_write_bytecode = True
    run.install_runner_translation()
    grader_file, seed, file_size = args[0], int(args[1]), jailed.parse_file_size(args[2])
    submission = jailed.decode_submission(sys.stdin.buffer.read())  # stdin is then at EOF, as the runs' is

    try:
        grader = jailed.load_grader(grader_file)
    except BaseException:
        return _stop("import")
    if jailed.input_errors(grader, submission):
        return _stop("input_errors")
    try:
        code = jailed.preprocess(grader, submission)
    except Exception:
        return _stop("preprocess")
    del grader  # the run imports its own, fresh copy of the grader

    jailed.write_module("submission", code)
    jailed.limit_file_size(file_size)
    jailed.set_runner_argv(grader_file, seed)
    run.run(grader_file[:-3], "submission", seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
