"""Small helpers of legacy graders and of the runner (docs/reference/gradelib.md, "The API").

``format_exception`` is what turns an exception into the text learners see: frames above the learner's
own file are dropped and the working directory is removed from file names.
"""
import contextlib
import os
import sys
from io import StringIO

# The runner's gettext language. Inside the runs strings are never translated (the catalogs are not where
# the runner looks, as in the reference), so this is English in practice.
LANGUAGE = 'en'


def captured_stdout():
    """Send ``print`` to a fresh StringIO for the body; ``sys.stdout`` is restored however it ends.
    The same context manager as gradelib's ``capture_stdout``."""
    from grader_support.gradelib import capture_stdout
    return capture_stdout()


@contextlib.contextmanager
def change_directory(directory):
    old_directory = os.getcwd()
    os.chdir(directory)
    try:
        yield directory
    finally:
        os.chdir(old_directory)


@contextlib.contextmanager
def temp_directory(delete_when_done=True):
    """A new directory (prefix ``grader-``, mode 0775), removed afterwards unless told otherwise."""
    import shutil
    import tempfile  # here, not at the top: both are slow to import and the runner never needs them
    directory = tempfile.mkdtemp(prefix="grader-")
    os.chmod(directory, 0o775)
    try:
        yield directory
    finally:
        if delete_when_done:
            shutil.rmtree(directory, ignore_errors=True)


class ModuleIsolation:
    """Remembers ``sys.modules``; ``clean_up()`` forgets every module imported since."""

    def __init__(self):
        self.known_modules = set(sys.modules)

    def clean_up(self):
        for name in list(sys.modules):
            if name not in self.known_modules:
                del sys.modules[name]


@contextlib.contextmanager
def module_isolation():
    isolation = ModuleIsolation()
    try:
        yield isolation
    finally:
        isolation.clean_up()


def make_file(filename, text=""):
    with open(filename, "w") as f:
        f.write(text)


def frame_in_file(frame, filename):
    """Does ``frame`` run code of ``filename`` (base names compared without their extensions)?"""
    frame_file = os.path.splitext(os.path.basename(frame.f_code.co_filename))[0]
    return frame_file == os.path.splitext(filename)[0]


def format_exception(exc_info=None, main_file=None, hide_file=False):
    """Format the current exception (or ``exc_info``) as ``traceback`` does, trimmed for learners.

    With ``main_file``, traceback entries are dropped from the outermost until the first one running
    ``main_file``; when none does, only the exception itself remains (no ``Traceback`` header). With
    ``hide_file``, the first ``cwd + '/'`` of each formatted chunk is removed, so paths read
    ``submission.py``.
    """
    import traceback  # here: most runs format no exception, and every interpreter start counts
    exc_type, exc_value, tb = exc_info or sys.exc_info()
    if main_file:
        while tb is not None and not frame_in_file(tb.tb_frame, main_file):
            tb = tb.tb_next
    chunks = traceback.format_exception(exc_type, exc_value, tb)
    if hide_file:
        prefix = os.getcwd() + "/"
        chunks = [chunk.replace(prefix, "", 1) for chunk in chunks]
    return "".join(chunks)
