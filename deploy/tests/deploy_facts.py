"""Shared facts for the deploy tests: the repository, and what its docs define (metric names, labels,
POLYGRADER keys). A plain module, not conftest.py: support/python/tests has a conftest of its own, and one
pytest run over both directories imports only one module of that name.

The tests read the names from docs/operations.md and docs/watcher-config.md instead of keeping a copy, so a
manifest that uses a metric or a setting the docs do not define fails here.
"""
import os
import re

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(REPO, "deploy")
KUBERNETES = os.path.join(DEPLOY, "kubernetes")


def read(*parts):
    with open(os.path.join(REPO, *parts), encoding="utf-8") as f:
        return f.read()


def documented_metrics():
    """Every metric docs/operations.md names: the table's first column, and the names in its prose."""
    text = read("docs", "operations.md")
    section = text.split("## Metrics", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`(polygrader_[a-z_]+)`", section))


def documented_histograms():
    text = read("docs", "operations.md")
    return set(re.findall(r"\| `(polygrader_[a-z_]+)` \| histogram \|", text))


def documented_polygrader_keys():
    """The POLYGRADER keys of docs/watcher-config.md's two tables (global and per-queue)."""
    text = read("docs", "watcher-config.md")
    section = text.split("## polygrader's settings (`POLYGRADER`)", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M))


def metric_names_in(expr):
    """The polygrader_ series an expression reads, histogram suffixes folded onto their metric."""
    names = set()
    for name in re.findall(r"\bpolygrader_[a-z_]+", expr):
        for suffix in ("_bucket", "_sum", "_count"):
            base = name[: -len(suffix)]
            if name.endswith(suffix) and base in documented_histograms():
                name = base
        names.add(name)
    return names


def load_documents(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def kubernetes_files():
    return sorted(os.path.join(KUBERNETES, n) for n in os.listdir(KUBERNETES) if n.endswith(".yaml"))


def all_kubernetes_documents():
    """(file name, document) for every resource in deploy/kubernetes, the kustomization excluded."""
    out = []
    for path in kubernetes_files():
        if os.path.basename(path) == "kustomization.yaml":
            continue
        for doc in load_documents(path):
            out.append((os.path.basename(path), doc))
    return out


def the(kind, name=None):
    found = [d for _, d in all_kubernetes_documents() if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def balanced(expr):
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    in_string = False
    for ch in expr:
        if ch == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                return False
    return not stack and not in_string



TARGET_LABELS = {"job", "namespace", "pod", "instance", "service", "container", "endpoint"}


def documented_labels():
    """metric -> the labels docs/operations.md gives it (the Intake counters have none)."""
    labels = {}
    for name, cell in re.findall(r"^\| `(polygrader_[a-z_]+)` \| [a-z]+ \| ([^|]*)\|", read("docs", "operations.md"), flags=re.M):
        labels[name] = set(re.findall(r"`([a-z_]+)`", cell))
    for name in documented_metrics():
        labels.setdefault(name, set())
    return labels


def label_problems(expr):
    """Labels an expression selects or groups by that its metrics do not carry."""
    problems = []
    labels = documented_labels()
    used = metric_names_in(expr)
    for metric, selector in re.findall(r"\b(polygrader_[a-z_]+)\{([^}]*)\}", expr):
        metric = next(iter(metric_names_in(metric)))
        for label in re.findall(r"([a-z_]+)\s*(?:=~|!=|!~|=)", selector):
            if label not in labels.get(metric, set()) | TARGET_LABELS:
                problems.append(f"{metric} has no label {label}")
    allowed = set().union(*(labels.get(m, set()) for m in used)) | TARGET_LABELS | {"le"} if used else TARGET_LABELS
    for group in re.findall(r"\b(?:by|without)\s*\(([^)]*)\)", expr):
        for label in filter(None, (x.strip() for x in group.split(","))):
            if label not in allowed:
                problems.append(f"grouping by {label}, which none of {sorted(used)} carries")
    return problems
