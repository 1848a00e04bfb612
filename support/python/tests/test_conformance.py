"""Every triple of Tests/Legacy that needs no jail, graded unjailed through the host protocol."""
import json
import os

import pytest

import legacy_grade
import legacy_reply
from conftest import LEGACY_CASES


def _cases():
    cases = []
    for name in sorted(os.listdir(LEGACY_CASES)):
        path = os.path.join(LEGACY_CASES, name, "expected.json")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                spec = json.load(f)
            if not spec.get("jail_only"):
                cases.append(pytest.param(name, spec, id=name))
    return cases


def _limits(spec):
    limits = spec.get("limits", {})
    mapped = {}
    if "CPU" in limits:
        mapped["cpu"] = limits["CPU"]
    if "REALTIME" in limits:
        mapped["wall"] = limits["REALTIME"]
    return mapped


@pytest.mark.parametrize("name,spec", _cases())
def test_legacy_case(name, spec):
    directory = os.path.join(LEGACY_CASES, name)
    with open(os.path.join(directory, spec.get("submission", "submission.py")), "rb") as f:
        submission = f.read()
    for seed in spec.get("seeds", [1]):
        reply = legacy_grade.grade(os.path.join(directory, "grader.py"), submission, spec.get("payload", {}),
                                   seed, limits=_limits(spec))
        legacy_reply.check(reply, spec["expect"])


def test_every_case_has_its_files():
    for name in sorted(os.listdir(LEGACY_CASES)):
        directory = os.path.join(LEGACY_CASES, name)
        if not os.path.isdir(directory):
            continue
        for required in ("grader.py", "answer.py", "submission.py", "expected.json"):
            assert os.path.isfile(os.path.join(directory, required)), (name, required)
