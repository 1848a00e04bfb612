"""The real binaries, installed by deploy/install.sh into a scratch prefix, find their helper and data there.

Runs where polygrader has been built (CI builds before it runs pytest; POLYGRADER_BUILD_DIR names another
build directory) and as root (the self-tests run in the jail); says why it skipped elsewhere.
"""
import json
import os
import re
import shutil
import subprocess

import pytest

from deploy_facts import DEPLOY, REPO


def build_dir():
    explicit = os.environ.get("POLYGRADER_BUILD_DIR")
    candidates = [explicit] if explicit else [os.path.join(REPO, ".build", c) for c in ("debug", "release")]
    for d in candidates:
        if all(os.access(os.path.join(d, exe), os.X_OK) for exe in ("polygrader", "polyjail")):
            return d
    return None


needs_build = pytest.mark.skipif(build_dir() is None, reason="polygrader is not built here (swift build, or POLYGRADER_BUILD_DIR)")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the languages' self-tests run in the jail, which needs root")


def installed(tmp_path):
    root = tmp_path / "root"
    done = subprocess.run(["sh", os.path.join(DEPLOY, "install.sh"), "--destdir", str(root), "--build-dir", build_dir(),
                           "/usr/local"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return str(root) + "/usr/local"


def languages_listing(tmp_path, prefix, wrapper=()):
    work = tmp_path / "elsewhere"   # no ./languages or ./sandboxes here, and not the checkout
    work.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("POLYJAIL", "POLYGRADER_CGROUP_ROOT")}
    env["POLYGRADER_CACHE_DIR"] = str(tmp_path / "cache")   # self-test afresh, with the installed helper
    done = subprocess.run([*wrapper, prefix + "/bin/polygrader", "languages", "--json"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return {entry["name"]: entry for entry in json.loads(done.stdout)["languages"]}


@needs_build
@needs_root
def test_installed_polygrader_uses_the_installed_helper_and_data(tmp_path):
    prefix = installed(tmp_path)
    languages = languages_listing(tmp_path, prefix)
    assert set(languages) == {n[:-4] for n in os.listdir(os.path.join(REPO, "languages")) if n.endswith(".yml")}
    for entry in languages.values():
        assert entry["file"].startswith(prefix + "/share/polygrader/languages/"), entry["file"]
    # Python is there wherever these tests run; its self-test passing means the jail helper was found and ran.
    assert languages["python"]["status"] == "ok", languages["python"].get("reason")


@needs_build
@needs_root
@pytest.mark.skipif(shutil.which("capsh") is None, reason="capsh (libcap2-bin) is not installed")
def test_the_units_capabilities_are_enough_for_the_jail(tmp_path):
    """Every capability outside the unit's CapabilityBoundingSet dropped, the self-tests still pass."""
    with open(os.path.join(DEPLOY, "systemd", "polygrader.service"), encoding="utf-8") as f:
        (line,) = re.findall(r"^CapabilityBoundingSet=(.*)$", f.read(), flags=re.M)
    kept = {c.lower() for c in line.split()}
    with open("/proc/self/status") as f:
        bounding = int(re.search(r"^CapBnd:\s*([0-9a-f]+)$", f.read(), flags=re.M).group(1), 16)
    decoded = subprocess.run(["capsh", f"--decode={bounding:x}"], capture_output=True, text=True).stdout
    have = set(decoded.strip().split("=", 1)[1].split(","))
    drop = sorted(have - kept)
    assert drop, "the unit should drop something this machine has"
    prefix = installed(tmp_path)
    wrapper = ["capsh", "--drop=" + ",".join(drop), "--", "-c", 'exec "$0" "$@"']
    languages = languages_listing(tmp_path, prefix, wrapper)
    for name in ("c", "java", "python"):
        assert languages[name]["status"] == "ok", (name, languages[name].get("reason"))
