"""polygrader-render-config: one StatefulSet replica's configuration directory."""
import importlib.machinery
import importlib.util
import json
import os
import stat

import pytest

from deploy_facts import DEPLOY

PATH = os.path.join(DEPLOY, "bin", "polygrader-render-config")
_loader = importlib.machinery.SourceFileLoader("render_config", PATH)
render_config = importlib.util.module_from_spec(importlib.util.spec_from_loader("render_config", _loader))
_loader.exec_module(render_config)


def source(tmp_path, manager, queues=None, servers=None):
    src = tmp_path / "src"
    (src / "conf.d").mkdir(parents=True)
    (src / "xqwatcher.json").write_text(json.dumps(manager))
    for name, text in (queues or {}).items():
        (src / "conf.d" / name).write_text(text)
    if servers is not None:
        (src / "xqueue_servers.json").write_text(servers)
    return src


def test_replica_k_gets_the_kth_slot_range_and_its_name(tmp_path):
    src = source(tmp_path, {"POLL_INTERVAL": 1, "POLYGRADER": {"slots": 4, "first_slot": 100, "uid_base": 70000}})
    block = render_config.render(str(src), str(tmp_path / "out"), "grader-3")
    assert block["first_slot"] == 112 and block["slots"] == 4 and block["instance"] == "grader-3"
    written = json.loads((tmp_path / "out" / "xqwatcher.json").read_text())
    assert written == {"POLL_INTERVAL": 1, "POLYGRADER": {"slots": 4, "first_slot": 112, "uid_base": 70000,
                                                          "instance": "grader-3"}}


def test_an_explicit_instance_name_is_kept(tmp_path):
    src = source(tmp_path, {"POLYGRADER": {"slots": 2, "instance": "course-x"}})
    assert render_config.render(str(src), str(tmp_path / "out"), "grader-0")["instance"] == "course-x"


def test_files_are_copied_private_and_configmap_bookkeeping_is_skipped(tmp_path):
    src = source(tmp_path, {"POLYGRADER": {"slots": 1}}, queues={"a.json": "{}", ".hidden.json": "{}"},
                 servers='{"lms": {"SERVER": "https://x", "AUTH": ["u", "p"]}}')
    # A mounted ConfigMap: keys are links into a hidden, timestamped directory.
    data = src / "conf.d" / "..2026_12_04"
    data.mkdir()
    (data / "b.json").write_text('{"b": 1}')
    os.symlink("..2026_12_04", src / "conf.d" / "..data")
    os.symlink("..data/b.json", src / "conf.d" / "b.json")
    out = tmp_path / "out"
    render_config.render(str(src), str(out), "grader-0")
    assert sorted(os.listdir(out / "conf.d")) == ["a.json", "b.json"]
    assert (out / "conf.d" / "b.json").read_text() == '{"b": 1}' and not (out / "conf.d" / "b.json").is_symlink()
    assert json.loads((out / "xqueue_servers.json").read_text())["lms"]["AUTH"] == ["u", "p"]
    for path in (out / "xqueue_servers.json", out / "conf.d" / "a.json", out / "xqwatcher.json"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_queue_removed_from_the_configmap_is_removed_on_rerender(tmp_path):
    src = source(tmp_path, {"POLYGRADER": {"slots": 1}}, queues={"a.json": "{}"})
    out = tmp_path / "out"
    render_config.render(str(src), str(out), "grader-0")
    (src / "conf.d" / "a.json").unlink()
    render_config.render(str(src), str(out), "grader-0")
    assert os.listdir(out / "conf.d") == []


@pytest.mark.parametrize("manager,pod,message", [
    ({"POLYGRADER": {"first_slot": 0}}, "grader-0", "POLYGRADER.slots must be set"),
    ({}, "grader-0", "POLYGRADER.slots must be set"),
    ({"POLYGRADER": {"slots": "2"}}, "grader-0", "expected a whole number"),
    ({"POLYGRADER": {"slots": True}}, "grader-0", "expected a whole number"),
    ({"POLYGRADER": {"slots": 0}}, "grader-0", "at least 1"),
    ({"POLYGRADER": {"slots": 2}}, "grader", "does not end in a StatefulSet ordinal"),
    ({"POLYGRADER": {"slots": 2}}, "grader-01", "does not end in a StatefulSet ordinal"),
    ({"POLYGRADER": {"slots": 10}}, "grader-100", "slots 1000..1009, beyond polyjail's 999"),
])
def test_bad_input_is_refused_with_one_line(tmp_path, capsys, manager, pod, message):
    src = source(tmp_path, manager)
    assert render_config.main([f"--source={src}", f"--dest={tmp_path / 'out'}", f"--pod-name={pod}"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "out" / "xqwatcher.json").exists()


def test_the_last_replica_within_polyjails_slots_is_accepted(tmp_path):
    src = source(tmp_path, {"POLYGRADER": {"slots": 10}})
    assert render_config.render(str(src), str(tmp_path / "out"), "grader-99")["first_slot"] == 990


def test_missing_or_broken_manager_file(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    assert render_config.main([f"--source={tmp_path / 'src'}", f"--dest={tmp_path / 'out'}", "--pod-name=g-0"]) == 2
    assert "xqwatcher.json: missing" in capsys.readouterr().err
    (tmp_path / "src" / "xqwatcher.json").write_text("{")
    assert render_config.main([f"--source={tmp_path / 'src'}", f"--dest={tmp_path / 'out'}", "--pod-name=g-0"]) == 2
    assert "not valid JSON" in capsys.readouterr().err
