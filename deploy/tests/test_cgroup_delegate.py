"""polygrader-cgroup-delegate on fake cgroup trees (a real v2 delegation needs a v2 host; ours are hybrid).

The script reads the mount and /proc/self/cgroup from POLYGRADER_CGROUP_MOUNT and POLYGRADER_PROC_CGROUP, so
a directory of plain files stands in for cgroupfs; the command it execs prints its environment.
"""
import os
import subprocess

from deploy_facts import DEPLOY

SCRIPT = os.path.join(DEPLOY, "bin", "polygrader-cgroup-delegate")


def v2_tree(tmp_path, path="/system.slice/polygrader.service", controllers="cpu memory pids", procs="101\n102\n"):
    mount = tmp_path / "cgroup"
    mount.mkdir()
    (mount / "cgroup.controllers").write_text(controllers + "\n")
    here = mount / path.strip("/") if path != "/" else mount
    here.mkdir(parents=True, exist_ok=True)
    (here / "cgroup.type").write_text("domain\n")
    (here / "cgroup.controllers").write_text(controllers + "\n")
    (here / "cgroup.procs").write_text(procs)
    (here / "cgroup.subtree_control").write_text("")
    proc = tmp_path / "self-cgroup"
    proc.write_text(f"0::{path}\n")
    return mount, here, proc


def run(mount, proc, extra_env=None):
    env = {"PATH": os.environ["PATH"], "POLYGRADER_CGROUP_MOUNT": str(mount), "POLYGRADER_PROC_CGROUP": str(proc)}
    env.update(extra_env or {})
    return subprocess.run(["sh", SCRIPT, "sh", "-c", 'echo "root=${POLYGRADER_CGROUP_ROOT:-unset}"'],
                          env=env, capture_output=True, text=True)


def test_a_delegated_unit_is_split_into_supervisor_and_jails(tmp_path):
    mount, here, proc = v2_tree(tmp_path)
    done = run(mount, proc)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"root={here}/jails\n"
    assert (here / "jails").is_dir() and (here / "supervisor").is_dir()
    # cgroupfs takes one pid per write; a plain file keeps the last one written.
    assert (here / "supervisor" / "cgroup.procs").read_text() == "102\n"
    assert (here / "cgroup.subtree_control").read_text() == "+memory +pids\n"


def test_a_containers_namespace_root_is_split_too(tmp_path):
    mount, here, proc = v2_tree(tmp_path, path="/")
    done = run(mount, proc)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"root={mount}/jails\n"
    assert (mount / "cgroup.subtree_control").read_text() == "+memory +pids\n"


def test_the_hosts_root_cgroup_is_left_alone(tmp_path):
    mount, here, proc = v2_tree(tmp_path, path="/")
    (mount / "cgroup.type").unlink()   # only the real root cgroup has no cgroup.type
    done = run(mount, proc)
    assert done.returncode == 0 and done.stdout == "root=unset\n"
    assert "not delegating" in done.stderr
    assert not (mount / "jails").exists() and (mount / "cgroup.subtree_control").read_text() == ""


def test_v1_and_hybrid_hosts_are_left_to_polyjail(tmp_path):
    mount = tmp_path / "cgroup"
    (mount / "memory").mkdir(parents=True)
    proc = tmp_path / "self-cgroup"
    proc.write_text("12:memory:/user.slice\n0::/user.slice\n")
    done = run(mount, proc)
    assert done.returncode == 0 and done.stdout == "root=unset\n"
    assert os.listdir(mount) == ["memory"]


def test_a_configured_root_wins(tmp_path):
    mount, here, proc = v2_tree(tmp_path)
    done = run(mount, proc, {"POLYGRADER_CGROUP_ROOT": "/sys/fs/cgroup/mine"})
    assert done.returncode == 0 and done.stdout == "root=/sys/fs/cgroup/mine\n"
    assert not (here / "jails").exists()


def test_a_cgroup_without_memory_or_pids_is_an_error(tmp_path):
    mount, here, proc = v2_tree(tmp_path, controllers="cpu io")
    done = run(mount, proc)
    assert done.returncode == 1 and done.stdout == ""
    assert "lacks the memory controller" in done.stderr and "Delegate=yes" in done.stderr
