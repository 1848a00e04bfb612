"""Pieces shared by the two jailed entry points, ``student`` and ``course`` (docs/legacy-graders.md).

Both entry points first do what xqueue-watcher does in its own process (load the grader, run the input
checks, preprocess), then what its jailed runner does (``run.run_tests``). To keep the two apart as the
reference does, the course-side grader object comes from a separate import of the grader file that is not
left in ``sys.modules``: the run then imports the grader again, fresh, with the seeded generators.

The preprocessed code is written to ``submission.py`` before any of it runs; only then is the file-size limit
lowered to the handler's (``limit_file_size``).
"""
import gettext
import importlib.util
import linecache
import os
import sys

from . import gradelib, graderutil

# Prefixed to the preprocessed answer and submission, as the reference does: learners' line numbers in
# tracebacks are one more than in the file they wrote.
CODING_LINE = "# coding: utf8\n"


def decode_submission(data):
    """The raw submission's text: UTF-8, undecodable bytes replaced, ``\\r`` kept (graders must see CRLF)."""
    return data.decode("utf-8", "replace")


def install_course_translation(localedir, lang):
    """gettext ``_`` for the course side: the course's ``conf/locale`` catalogs, English fallback."""
    gettext.translation("graders", localedir=localedir, languages=[lang], fallback=True).install()


def load_grader(grader_file):
    """Import ``grader_file`` on its own and return its ``grader`` object; what it prints is discarded.

    The module is in ``sys.modules`` only while it executes (as during any import), so that the runner's
    ``__import__`` of the same name later loads a fresh copy. Raises whatever the import raises.
    """
    name = os.path.basename(grader_file)[:-3]
    spec = importlib.util.spec_from_file_location(name, os.path.abspath(grader_file))
    module = importlib.util.module_from_spec(spec)
    previous = sys.modules.get(name)
    sys.modules[name] = module
    try:
        with graderutil.captured_stdout():
            spec.loader.exec_module(module)
        return module.grader
    finally:
        if previous is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = previous


def input_errors(grader, submission):
    """The input checks' messages, in order. A check that raises counts as passed; the others still run.

    (The reference posts no reply at all when a check raises, e.g. ``count_non_comment_lines`` on code
    with an unclosed bracket; passing it lets the learner see the syntax error from the run instead.)
    A ``Grader`` subclass with its own ``input_errors`` is asked as a whole.
    """
    if getattr(type(grader), "input_errors", None) is not gradelib.Grader.input_errors:
        try:
            return [message for message in grader.input_errors(submission) if message]
        except Exception:
            return []
    messages = []
    for check in list(grader._input_checks):
        try:
            message = check(submission)
        except Exception:
            continue
        if message:
            messages.append(message)
    return messages


def preprocess(grader, text):
    """The grader's preprocessors, then the coding line; raises if a preprocessor fails or returns no text."""
    processed = grader.preprocess(text)
    if not isinstance(processed, str):
        raise TypeError("the preprocessors returned %s, not text" % type(processed).__name__)
    processed.encode("utf-8")  # lone surrogates cannot become a source file: fail here, on both sides
    return CODING_LINE + processed


def write_module(name, source):
    """Write the preprocessed code as ``name.py`` in the working directory, as the reference's runs see it.

    A real file (not code served from memory) because graders and learners may read it: tests that open
    ``submission.__file__``, ``inspect`` on the module, a learner's code reading itself.
    """
    with open(name + ".py", "w", encoding="utf-8", newline="") as f:
        f.write(source)


def limit_file_size(limit):
    """Lower ``RLIMIT_FSIZE`` to the handler's limit once our own files are written (None: leave it).

    The jail starts us with room for ``submission.py``; the code under test then gets the configured limit
    (codejail's default is 0: no writes).
    """
    if limit is None:
        return
    import resource
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def parse_file_size(text):
    """A FILE_SIZE argument: bytes, or ``unlimited`` (None: keep what the jail set)."""
    return None if text == "unlimited" else int(text)


def set_runner_argv(grader_file, seed):
    """``sys.argv`` as the reference's runner has it, for code that looks (``run.py GRADER.py submission.py SEED``)."""
    from . import run
    sys.argv = [run.__file__, grader_file, "submission.py", str(seed)]


def forget_modules(*names):
    """The staff run's modules and source lines leave the process before learner data is compared."""
    for name in names:
        sys.modules.pop(name, None)
    linecache.clearcache()
