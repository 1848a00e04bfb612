"""The systemd units and the sample configuration directory (deploy/config)."""
import json
import os
import re
import shutil
import subprocess

import pytest

from deploy_facts import DEPLOY, documented_polygrader_keys

UNITS = ["polygrader.service", "polygrader@.service"]


def unit(name):
    """section -> key -> list of values (systemd allows a key more than once)."""
    sections, current = {}, None
    with open(os.path.join(DEPLOY, "systemd", name), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                current = sections.setdefault(line.strip("[]"), {})
                continue
            key, _, value = line.partition("=")
            current.setdefault(key, []).append(value)
    return sections


def config(name):
    with open(os.path.join(DEPLOY, "config", name), encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.parametrize("name", UNITS)
def test_unit_delegates_its_cgroup_and_stops_within_the_grace(name):
    service = unit(name)["Service"]
    assert service["Type"] == ["simple"]
    assert service["Delegate"] == ["yes"]
    assert service["Restart"] == ["on-failure"]
    assert service["RestartPreventExitStatus"] == ["2"], "a configuration error is not retried"
    assert service["KillMode"] == ["mixed"] and service["KillSignal"] == ["SIGTERM"]
    grace = config("xqwatcher.json")["POLYGRADER"]["shutdown_grace"]
    assert int(service["TimeoutStopSec"][0]) > grace
    # A learner's OOM kill inside a slot cgroup shows in the unit's memory.events: it must not stop the unit.
    assert service["OOMPolicy"] == ["continue"]
    assert "RuntimeDirectory" not in service, "/run/polyjail is shared by every instance on the host"
    caps = set(service["CapabilityBoundingSet"][0].split())
    assert {"CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_SYS_PTRACE", "CAP_NET_ADMIN", "CAP_SYS_RESOURCE"} <= caps
    assert unit(name)["Install"]["WantedBy"] == ["multi-user.target"]


@pytest.mark.parametrize("name", UNITS)
def test_unit_starts_polygrader_through_the_delegation_step(name):
    exec_start = unit(name)["Service"]["ExecStart"][0].split()
    assert exec_start[0] == "/usr/local/libexec/polygrader/polygrader-cgroup-delegate"
    assert os.access(os.path.join(DEPLOY, "bin", "polygrader-cgroup-delegate"), os.X_OK)
    assert exec_start[1] == "/usr/local/bin/polygrader" and exec_start[2] == "-d"
    assert exec_start[3] == ("/etc/polygrader" if "@" not in name else "/etc/polygrader/%i")


def test_template_instances_keep_their_own_cache_and_config():
    service = unit("polygrader@.service")["Service"]
    assert service["CacheDirectory"] == ["polygrader/%i"]
    assert service["Environment"] == ["POLYGRADER_CACHE_DIR=/var/cache/polygrader/%i"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    for name in UNITS:
        shutil.copy(os.path.join(DEPLOY, "systemd", name), tmp_path / name)
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(tmp_path / "polygrader.service"),
                           str(tmp_path / "polygrader@test.service")], capture_output=True, text=True, cwd=tmp_path)
    # The binaries are not installed on the test machine; anything else systemd says is a defect of the unit.
    complaints = [l for l in (done.stdout + done.stderr).splitlines()
                  if l.strip() and "is not executable: No such file or directory" not in l]
    assert complaints == []


def test_sample_configuration_is_consistent():
    manager = config("xqwatcher.json")
    assert set(manager["POLYGRADER"]) <= documented_polygrader_keys()
    servers = config("xqueue_servers.json")
    queues_dir = os.path.join(DEPLOY, "config", "conf.d")
    names = sorted(n for n in os.listdir(queues_dir) if n.endswith(".json"))
    assert names
    for name in names:
        with open(os.path.join(queues_dir, name), encoding="utf-8") as f:
            for queue, settings in json.load(f).items():
                assert settings["SERVER_REF"] in servers, f"{name}: {queue}"
                assert set(settings.get("POLYGRADER", {})) <= documented_polygrader_keys()
                for handler in settings["HANDLERS"]:
                    assert handler["KWARGS"]["grader_root"].startswith("/")
    assert re.fullmatch(r"127\.0\.0\.1:\d+", manager["POLYGRADER"]["metrics_address"]), \
        "on a host the endpoints stay on loopback by default (they name queues and errors)"
