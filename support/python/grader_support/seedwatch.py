"""Whether a staff run used its seed: the proof behind seed-free entries of the host's staff-result cache.

The host caches the staff run's results (docs/legacy-graders.md, "The staff-result cache"). The seed is part of
the key unless the run provably did not use it. A run's only ways to depend on the seed are:

1. the two generators the runner seeds (``gradelib.rand`` and the ``random`` module's): every draw and every
   read of their state is a call of one of their C methods (``random``, ``getrandbits``, ``getstate``, ...;
   the Python-level methods all end in those). A profile hook sees each such call made from Python code, and
   comparing both states before and after catches draws made from C code (``sorted(key=...)``, ``map``);
2. the command line that carries the seed (``sys.argv``, ``sys.orig_argv``, ``/proc/self/cmdline``): the run
   counts as seed-free only if neither the grader's nor the answer's text mentions ``argv`` or ``cmdline``.

Threads started by course code are not profiled; their draws still change the states. Course code that hides
its use of the seed on purpose only spoils its own problem's replies, which it controls anyway.
"""
import sys

SEED_CHANNELS = ("argv", "cmdline")


class SeedWatch:
    def __init__(self):
        self.used = False
        self._generators = ()
        self._states = ()
        self._hook = None
        self._previous = None

    def start(self, *generators):
        self._generators = generators
        self._states = tuple(g.getstate() for g in generators)
        first, second = generators

        def hook(frame, event, arg):
            if event == "c_call":
                owner = getattr(arg, "__self__", None)
                if owner is first or owner is second:
                    self.used = True

        self._hook = hook
        self._previous = sys.getprofile()
        sys.setprofile(hook)

    def stop(self):
        replaced = sys.getprofile() is not self._hook  # course code installed its own hook: no proof
        sys.setprofile(self._previous)
        if replaced or tuple(g.getstate() for g in self._generators) != self._states:
            self.used = True


def seed_free(watch, *sources):
    """True when the watched run used neither generator and no source text names a seed channel."""
    return not watch.used and not any(word in text for text in sources for word in SEED_CHANNELS)
