"""Pieces shared by the two jailed entry points, ``student`` and ``course`` (docs/legacy-graders.md).

Both entry points first do what xqueue-watcher does in its own process (load the grader, run the input
checks, preprocess), then what its jailed runner does (``run.run_tests``). To keep the two apart as the
reference does, the course-side grader object comes from a separate import of the grader file that is not
left in ``sys.modules``: the run then imports the grader again, fresh, with the seeded generators.

The preprocessed code is never written to disk (the jail allows no writes): ``serve_module`` makes
``import submission`` compile it from memory under the path the file would have had, so ``__file__`` and
tracebacks, source lines included, read exactly as for a file.
"""
import contextlib
import gettext
import importlib.machinery
import importlib.util
import linecache
import os
import sys

from . import gradelib, graderutil

# Prefixed to the preprocessed answer and submission, as the reference does: learners' line numbers in
# tracebacks are one more than in the file they wrote.
CODING_LINE = "# coding: utf8\n"


def read_submission_text(path):
    """The raw submission: UTF-8, undecodable bytes replaced, ``\\r`` kept (graders must see CRLF)."""
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


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
    if type(grader).input_errors is not gradelib.Grader.input_errors:
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


class _InMemorySourceLoader(importlib.machinery.SourceFileLoader):
    """A source-file loader whose file's bytes are in memory; it never reads or writes bytecode."""

    def __init__(self, fullname, path, source_bytes):
        super().__init__(fullname, path)
        self._source_bytes = source_bytes

    def get_data(self, path):
        if path == self.path:
            return self._source_bytes
        return super().get_data(path)

    def path_stats(self, path):
        raise OSError("in-memory source: no bytecode cache")


class _InMemoryFinder:
    def __init__(self, name, path, source_bytes):
        self.name, self.path, self.source_bytes = name, path, source_bytes

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        loader = _InMemorySourceLoader(fullname, self.path, self.source_bytes)
        return importlib.util.spec_from_file_location(fullname, self.path, loader=loader)


def serve_module(name, source):
    """Make ``import name`` compile ``source`` as if it were the file ``<cwd>/name.py``.

    The bytes are compiled as importlib compiles a file (coding declarations honoured, NUL bytes
    rejected the same way). Returns the finder, for ``forget_module``.
    """
    finder = _InMemoryFinder(name, os.path.join(os.getcwd(), name + ".py"), source.encode("utf-8"))
    sys.meta_path.insert(0, finder)
    return finder


def forget_module(finder, *also_forget):
    """Undo ``serve_module``: the code and its module leave the process (with the named modules)."""
    with contextlib.suppress(ValueError):
        sys.meta_path.remove(finder)
    for name in (finder.name,) + also_forget:
        sys.modules.pop(name, None)
    linecache.clearcache()
