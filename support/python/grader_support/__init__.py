"""polygrader's clean-room ``grader_support`` for legacy xqueue-watcher graders (docs/legacy-graders.md).

Course graders import the API four ways: ``import gradelib``, ``from gradelib import *``,
``from grader_support import gradelib`` and ``from grader_support.gradelib import ...``. Importing this
package registers the bare names, so all four give the same module objects. The runners are started with
``-m grader_support.<entry>``, so this package is always imported before any grader.
"""
import sys

from . import gradelib, graderutil

sys.modules["gradelib"] = gradelib
sys.modules["graderutil"] = graderutil
