#!/usr/bin/env python3
"""Precompile ``grader_support`` for the interpreter that will run it in the jail.

    /usr/bin/python3 support/python/precompile.py [PACKAGE_DIR]

Run it at install time with the legacy toolchain's interpreter (bytecode is per Python version: a handler
with another ``bin_path`` needs its own run). The jail mounts the package read-only and starts Python with
``-B``: nothing is ever written there at run time, and without these files every interpreter start would
compile the package again. The files are checked-hash bytecode: valid whatever the files' times after a
copy, and ignored (never stale) if a source file changes.
"""
import compileall
import os
import py_compile
import sys


def precompile(package_dir):
    return compileall.compile_dir(package_dir, quiet=1, force=True,
                                  invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    package_dir = argv[0] if argv else os.path.join(here, "grader_support")
    return 0 if precompile(package_dir) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
