"""Our two-process flow must run the tests exactly as the reference's separate runs do.

The reference preprocesses in its own process, writes ``submission.py`` and starts ``run`` on it, once for
the answer and once for the learner. We preprocess in the run's process, after a course-side import of the
grader, and run the staff tests inside the course process. For every conformance triple (and a few extra
submissions), both ways must give the same bytes.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import LEGACY_CASES, SUPPORT_DIR

EXTRA_SUBMISSIONS = {
    "nul-byte": b"x = 1\x00\n",
    "latin1-declaration": b"# -*- coding: latin-1 -*-\ns = '\xe9'\ndef square(x):\n    return len(s) * x * x\n",
    "invalid-utf8": b"s = '\xff'\ndef square(x):\n    return x * x\n",
    "inspect-source": b"import inspect\ndef square(x):\n    return len(inspect.getsource(square))\n",
    "own-file": b"def square(x):\n    return open(__file__).read().count('x')\n",
    "traceback-deep": b"def helper(x):\n    return {}[x]\ndef square(x):\n    return helper(x)\n",
    "argv": b"import sys, os\ndef square(x):\n    return [os.path.basename(sys.argv[0])] + sys.argv[1:]\n",
    "spec-and-file": b"def square(x):\n    return (__name__, __file__.rsplit('/', 1)[1], __spec__.name, __cached__.rsplit('/', 2)[1])\n",
}

PREPROCESS = """
import sys
from grader_support import jailed
grader = jailed.load_grader(sys.argv[1])
raw = jailed.decode_submission(open(sys.argv[2], "rb").read())
with open(sys.argv[3], "w", encoding="utf-8") as f:
    f.write(jailed.preprocess(grader, raw))
"""

STAFF_IN_PROCESS = """
import json, sys
from grader_support import course, jailed, run
run.install_runner_translation()
grader = jailed.load_grader("grader.py")
with open("answer.py", encoding="utf-8") as f:
    answer = f.read()
code = jailed.preprocess(grader, answer)
flow = course.Flow("grader.py", "answer.py", None, None, int(sys.argv[1]), {}, None)
try:
    print(json.dumps(flow._staff_run(code, answer)))
except course._Reply as reply:
    print(json.dumps({"reply": reply.outcome}))
"""


def python(box, args, stdin=b""):
    return subprocess.run([sys.executable, "-B"] + args, cwd=box, env={"PYTHONPATH": SUPPORT_DIR},
                          input=stdin, capture_output=True, timeout=30)


def _pairs():
    pairs = []
    for name in sorted(os.listdir(LEGACY_CASES)):
        directory = os.path.join(LEGACY_CASES, name)
        expected = os.path.join(directory, "expected.json")
        if not os.path.isfile(expected):
            continue
        with open(expected) as f:
            spec = json.load(f)
        if spec.get("jail_only") or spec.get("limits"):
            continue  # needs a jail, or is killed by a limit: no output to compare
        with open(os.path.join(directory, "submission.py"), "rb") as f:
            stops = spec["expect"]["outcome"] == "input_errors"
            pairs.append(pytest.param(directory, f.read(), stops, id=name))
    square = os.path.join(LEGACY_CASES, "01-correct-two-tests")
    for label, code in EXTRA_SUBMISSIONS.items():
        pairs.append(pytest.param(square, code, False, id=label))
    return pairs


@pytest.mark.parametrize("case_dir,submission,stops", _pairs())
def test_the_learner_run_equals_the_reference_run(tmp_path, case_dir, submission, stops):
    shutil.copy(os.path.join(case_dir, "grader.py"), tmp_path / "grader.py")
    ours = python(tmp_path, ["-m", "grader_support.student", "grader.py", "3", "unlimited"], stdin=submission)
    if stops:  # the input checks fail: no learner code may run
        assert ours.stdout == b'{"stopped": "input_errors"}\n'
        assert sorted(p.name for p in tmp_path.iterdir()) == ["grader.py"]
        return
    (tmp_path / "submission.py").unlink()
    (tmp_path / "raw.txt").write_bytes(submission)
    assert python(tmp_path, ["-c", PREPROCESS, "grader.py", "raw.txt", "submission.py"]).returncode == 0
    (tmp_path / "raw.txt").unlink()
    reference = python(tmp_path, ["-m", "grader_support.run", "grader.py", "submission.py", "3"])
    assert ours.stdout == reference.stdout
    assert not ours.stdout or json.loads(ours.stdout)["grader"]["status"] == "ok"


@pytest.mark.parametrize("case_dir", [p.values[0] for p in _pairs() if p.id[0].isdigit()])
def test_the_staff_run_in_process_equals_the_reference_run(tmp_path, case_dir):
    shutil.copy(os.path.join(case_dir, "grader.py"), tmp_path / "grader.py")
    shutil.copy(os.path.join(case_dir, "answer.py"), tmp_path / "answer.py")
    reference_box = tmp_path / "reference"
    reference_box.mkdir()
    shutil.copy(tmp_path / "grader.py", reference_box / "grader.py")
    assert python(tmp_path, ["-c", PREPROCESS, "grader.py", "answer.py", str(reference_box / "submission.py")]).returncode == 0
    reference = json.loads(python(reference_box, ["-m", "grader_support.run", "grader.py", "submission.py", "3"]).stdout)
    ours = json.loads(python(tmp_path, ["-c", STAFF_IN_PROCESS, "3"]).stdout)
    if reference["exceptions"]:
        assert ours == {"reply": "staff_error"}
    else:
        assert ours == reference["results"]
