"""deploy/install.sh puts polygrader where ResourcePaths.swift looks, and the Dockerfile builds on it.

docker cannot run on the test machines (no engine), so the Dockerfile is checked statically: its stages,
that everything it copies exists and is not excluded by .dockerignore, its packages, and that its
entrypoint is what install.sh installs.
"""
import fnmatch
import json
import os
import re
import stat
import subprocess

import pytest

from deploy_facts import DEPLOY, REPO, read

INSTALL = os.path.join(DEPLOY, "install.sh")


@pytest.fixture
def fake_build(tmp_path):
    """Stand-ins for the two binaries: the layout is under test here, not the build."""
    build = tmp_path / "build"
    build.mkdir()
    for exe in ("polygrader", "polyjail"):
        (build / exe).write_text(f"#!/bin/sh\necho {exe}\n")
        (build / exe).chmod(0o755)
    return build


def install(build, destdir, prefix="/usr/local"):
    return subprocess.run(["sh", INSTALL, "--destdir", str(destdir), "--build-dir", str(build), prefix],
                          capture_output=True, text=True)


def test_install_lays_out_what_resource_paths_searches(fake_build, tmp_path):
    done = install(fake_build, tmp_path / "root")
    assert done.returncode == 0, done.stderr
    prefix = tmp_path / "root" / "usr" / "local"
    swift = read("Sources", "Sandbox", "ResourcePaths.swift")
    # polyjail: `../libexec/polygrader/polyjail` from the executable's directory.
    assert '"../libexec/polygrader/polyjail"' in swift
    polyjail = os.path.normpath(os.path.join(prefix, "bin", "../libexec/polygrader/polyjail"))
    assert os.access(polyjail, os.X_OK)
    assert os.access(prefix / "bin" / "polygrader", os.X_OK)
    # data: `../share/polygrader/NAME` from the executable's directory, for every NAME the code asks for.
    assert '"../share/polygrader/\\(name)"' in swift
    names = set(re.findall(r'dataDirectory\("([a-z/]+)"', "".join(
        open(os.path.join(r, f), encoding="utf-8").read()
        for r, _, fs in os.walk(os.path.join(REPO, "Sources")) for f in fs if f.endswith(".swift"))))
    assert {"sandboxes", "languages", "support/python", "examples/course"} <= names
    for name in names:
        assert os.path.isdir(os.path.normpath(os.path.join(prefix, "bin", "../share/polygrader", name))), name
    for tool in ("polygrader-cgroup-delegate", "polygrader-render-config"):
        assert os.access(prefix / "libexec" / "polygrader" / tool, os.X_OK)
    # The units' Documentation= points at the installed docs.
    for unit in ("polygrader.service", "polygrader@.service"):
        with open(os.path.join(DEPLOY, "systemd", unit), encoding="utf-8") as f:
            (doc,) = re.findall(r"^Documentation=file:(\S+)$", f.read(), flags=re.M)
        assert doc.startswith("/usr/local/") and os.path.isfile(str(tmp_path / "root") + doc), doc


def test_install_copies_the_data_whole_without_stray_caches_or_tests(fake_build, tmp_path):
    assert install(fake_build, tmp_path / "root").returncode == 0
    share = tmp_path / "root" / "usr" / "local" / "share" / "polygrader"
    for name in ("sandboxes", "languages"):
        assert sorted(os.listdir(share / name)) == sorted(os.listdir(os.path.join(REPO, name)))
    assert (share / "support" / "python" / "grader_support").is_dir()
    assert not (share / "support" / "python" / "tests").exists()
    # The only bytecode is grader_support's, compiled at install time for the jail's python3 (read-only there).
    package = share / "support" / "python" / "grader_support"
    if os.path.exists("/usr/bin/python3"):
        assert (package / "__pycache__").is_dir()
    for root, dirs, files in os.walk(share):
        if not root.startswith(str(package)):
            assert "__pycache__" not in dirs and not any(f.endswith(".pyc") for f in files), root
        for f in files:
            mode = os.stat(os.path.join(root, f)).st_mode
            assert mode & stat.S_IROTH and not mode & stat.S_IWOTH, os.path.join(root, f)


def test_install_twice_replaces_the_data(fake_build, tmp_path):
    assert install(fake_build, tmp_path / "root").returncode == 0
    stale = tmp_path / "root" / "usr" / "local" / "share" / "polygrader" / "languages" / "removed-upstream.yml"
    stale.write_text("old\n")
    assert install(fake_build, tmp_path / "root").returncode == 0
    assert not stale.exists()


def test_install_refuses_a_relative_prefix_and_a_missing_build(fake_build, tmp_path):
    done = install(fake_build, tmp_path / "root", prefix="usr/local")
    assert done.returncode == 2 and "PREFIX must be absolute" in done.stderr
    done = install(tmp_path / "nothing-built", tmp_path / "root")
    assert done.returncode == 1 and "build first" in done.stderr
    assert not (tmp_path / "root").exists()


def dockerfile():
    """Instructions as (KEYWORD, arguments), continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", read("Dockerfile"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, args = line.partition(" ")
            out.append((keyword.upper(), args.strip()))
    return out


def stages():
    return [re.match(r"(\S+)(?: AS (\S+))?$", a, re.I).groups() for k, a in dockerfile() if k == "FROM"]


def test_dockerfile_builds_with_swift_and_runs_on_debian_slim():
    (build_image, build), (run_image, run) = stages()
    args = dict(re.match(r"(\w+)=(\S+)", a).groups() for k, a in dockerfile() if k == "ARG" and "=" in a)
    assert build == "build" and re.fullmatch(r"swift:6\.\d+-bookworm", args[build_image.strip("${}")])
    assert run_image == "debian:bookworm-slim" and run == "runtime"
    runs = " ".join(a for k, a in dockerfile() if k == "RUN")
    assert "swift build -c release --static-swift-stdlib --product polyjail" in runs
    assert "swift build -c release --static-swift-stdlib --product polygrader" in runs
    assert "deploy/install.sh --destdir /out --build-dir .build/release /usr/local" in runs


def test_dockerfile_installs_the_runtime_packages():
    installs = [a for k, a in dockerfile() if k == "RUN" and "apt-get install" in a]
    runtime = installs[-1].split()
    for package in ("libseccomp2", "libarchive13", "libxml2", "gcc", "g++", "libc6-dev", "python3", "python3-pytest",
                    "openjdk-17-jdk-headless", "junit5", "check", "ca-certificates", "tini"):
        assert package in runtime, package
    assert "--no-install-recommends" in runtime and "rm -rf /var/lib/apt/lists/*" in installs[-1]
    # .ci/run installs the same toolchains for the tests: keep the image's in step with it.
    ci = read(".ci", "run")
    for package in ("gcc", "g++", "libc6-dev", "python3", "python3-pytest", "openjdk-17-jdk-headless", "junit5", "check"):
        assert re.search(rf"(?<![\w-]){re.escape(package)}(?![\w-])", ci), package


def dockerignore():
    return [l.strip() for l in read(".dockerignore").splitlines() if l.strip() and not l.startswith("#")]


def test_everything_the_dockerfile_copies_exists_and_is_sent_to_the_builder():
    defined = {name for _, name in stages()}
    for keyword, args in dockerfile():
        if keyword != "COPY":
            continue
        parts = args.split()
        if parts[0].startswith("--from="):
            assert parts[0][len("--from="):] in defined
            assert parts[1] == "/out/usr/local/"
            continue
        for source in parts[:-1]:
            assert os.path.exists(os.path.join(REPO, source)), f"COPY {source}: not in the repository"
            assert not any(fnmatch.fnmatch(source, p) for p in dockerignore()), f"{source} is in .dockerignore"


def test_entrypoint_runs_installed_files(fake_build, tmp_path):
    assert install(fake_build, tmp_path / "root").returncode == 0
    (entry,) = [json.loads(a) for k, a in dockerfile() if k == "ENTRYPOINT"]
    (cmd,) = [json.loads(a) for k, a in dockerfile() if k == "CMD"]
    assert entry[:2] == ["/usr/bin/tini", "--"]
    for path in entry[2:]:
        assert os.access(str(tmp_path / "root") + path, os.X_OK), path
    assert entry[-1] == "/usr/local/bin/polygrader" and cmd == ["-d", "/etc/polygrader"]
    env = dict(a.split("=", 1) for k, a in dockerfile() if k == "ENV")
    assert env["POLYGRADER_CACHE_DIR"] == "/var/cache/polygrader"
