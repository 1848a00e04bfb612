"""graderutil: the stream and directory helpers, module isolation, and how exceptions are shown."""
import importlib.util
import os
import stat
import sys

import pytest

from grader_support import graderutil


def load_file_module(directory, name, source):
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_language_is_english():
    assert graderutil.LANGUAGE == "en"


def test_captured_stdout_restores_in_all_cases():
    before = sys.stdout
    with pytest.raises(KeyError):
        with graderutil.captured_stdout() as out:
            print("x")
            raise KeyError()
    assert sys.stdout is before and out.getvalue() == "x\n"


def test_change_directory_and_temp_directory(tmp_path):
    start = os.getcwd()
    with graderutil.change_directory(str(tmp_path)):
        assert os.getcwd() == str(tmp_path)
    assert os.getcwd() == start
    with graderutil.temp_directory() as directory:
        assert os.path.basename(directory).startswith("grader-")
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o775
    assert not os.path.exists(directory)
    with graderutil.temp_directory(delete_when_done=False) as kept:
        pass
    assert os.path.isdir(kept)
    os.rmdir(kept)


def test_make_file(tmp_path):
    path = tmp_path / "made.txt"
    graderutil.make_file(str(path), "text\n")
    assert path.read_text() == "text\n"
    graderutil.make_file(str(tmp_path / "empty.txt"))
    assert (tmp_path / "empty.txt").read_text() == ""


def test_module_isolation_forgets_modules_imported_inside(tmp_path, monkeypatch):
    (tmp_path / "isolated_helper_mod.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with graderutil.module_isolation():
        import isolated_helper_mod  # noqa: F401
        assert "isolated_helper_mod" in sys.modules
    assert "isolated_helper_mod" not in sys.modules
    isolation = graderutil.ModuleIsolation()
    import isolated_helper_mod  # noqa: F401,F811
    isolation.clean_up()
    assert "isolated_helper_mod" not in sys.modules and "os" in sys.modules


def test_frame_in_file_compares_base_names_without_extension(tmp_path):
    module = load_file_module(str(tmp_path), "submission", "import sys\ndef frame():\n    return sys._getframe()\n")
    frame = module.frame()
    assert graderutil.frame_in_file(frame, "submission")
    assert graderutil.frame_in_file(frame, "submission.py")
    assert not graderutil.frame_in_file(frame, "grader")


def test_format_exception_keeps_the_learner_frames_and_everything_below(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = load_file_module(str(tmp_path), "submission", "def f(d):\n    return d['missing']\n")
    try:
        module.f({})
    except KeyError:
        text = graderutil.format_exception(main_file="submission", hide_file=True)
    assert text == ('Traceback (most recent call last):\n'
                    '  File "submission.py", line 2, in f\n'
                    "    return d['missing']\n"
                    "           ~^^^^^^^^^^^\n"
                    "KeyError: 'missing'\n")


def test_format_exception_without_a_learner_frame_is_only_the_exception(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        getattr(type(sys)("submission"), "f")
    except AttributeError:
        text = graderutil.format_exception(main_file="submission", hide_file=True)
    assert text == "AttributeError: module 'submission' has no attribute 'f'\n"


def test_format_exception_of_a_syntax_error_hides_the_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SyntaxError):
        try:
            load_file_module(str(tmp_path), "submission", "x = 1\ndef f(x)\n    pass\n")
        except SyntaxError:
            text = graderutil.format_exception(main_file="submission", hide_file=True)
            raise
    assert text == '  File "submission.py", line 2\n    def f(x)\n            ^\nSyntaxError: expected \':\'\n'


def test_format_exception_full_and_from_exc_info(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        raise ValueError("boom")
    except ValueError:
        info = sys.exc_info()
    full = graderutil.format_exception(info)
    assert full.startswith("Traceback (most recent call last):\n") and full.endswith("ValueError: boom\n")
    assert __file__ in full
