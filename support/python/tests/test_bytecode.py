"""Precompiled, read-only bytecode: used when present, never written, never stale."""
import os
import shutil
import subprocess
import sys

from conftest import SUPPORT_DIR


def copy_package(tmp_path):
    target = tmp_path / "support"
    shutil.copytree(os.path.join(SUPPORT_DIR, "grader_support"), target / "grader_support",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return target


def files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, names in os.walk(root) for f in names)


def verbose_import(support, box):
    done = subprocess.run([sys.executable, "-B", "-v", "-m", "grader_support.run", "grader.py", "submission.py", "1"],
                          cwd=box, env={"PYTHONPATH": str(support)}, capture_output=True, text=True, check=True)
    return done.stdout, done.stderr


def test_precompiled_bytecode_is_used_and_nothing_is_written(tmp_path):
    support = copy_package(tmp_path)
    subprocess.run([sys.executable, os.path.join(SUPPORT_DIR, "precompile.py"), str(support / "grader_support")],
                   check=True)
    before = files(support)
    assert "grader_support/__pycache__/gradelib.%s.pyc" % sys.implementation.cache_tag in before
    box = tmp_path / "box"
    box.mkdir()
    (box / "grader.py").write_text("import gradelib\ngrader = gradelib.Grader()\n")
    (box / "submission.py").write_text("x = 1\n")
    stdout, stderr = verbose_import(support, box)
    assert '"exceptions": 0' in stdout
    for module in ("__init__", "gradelib", "graderutil", "run"):
        assert "# code object from '%s'" % (support / "grader_support" / "__pycache__" /
                                            ("%s.%s.pyc" % (module, sys.implementation.cache_tag))) in stderr
    assert files(support) == before
    assert files(box) == ["grader.py", "submission.py"]


def test_a_changed_source_wins_over_its_bytecode(tmp_path):
    support = copy_package(tmp_path)
    subprocess.run([sys.executable, os.path.join(SUPPORT_DIR, "precompile.py"), str(support / "grader_support")],
                   check=True)
    run_py = support / "grader_support" / "run.py"
    run_py.write_text(run_py.read_text().replace('USAGE = "Usage: run.py', 'USAGE = "Changed: run.py'))
    done = subprocess.run([sys.executable, "-B", "-m", "grader_support.run"], cwd=tmp_path,
                          env={"PYTHONPATH": str(support)}, capture_output=True, text=True, check=True)
    assert done.stdout == "Changed: run.py GRADER SUBMISSION seed\n"
