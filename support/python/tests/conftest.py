"""Shared set-up: the package and the tools importable, and a fresh copy of the aliases for each test."""
import os
import sys

import pytest

SUPPORT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(os.path.dirname(SUPPORT_DIR))
LEGACY_CASES = os.path.join(REPO_ROOT, "Tests", "Legacy")

for path in (SUPPORT_DIR, os.path.join(SUPPORT_DIR, "tools")):
    if path not in sys.path:
        sys.path.insert(0, path)


@pytest.fixture
def english(monkeypatch):
    """An identity ``_`` in builtins, as the runner installs when no catalog is found."""
    import builtins
    monkeypatch.setattr(builtins, "_", lambda message: message, raising=False)
