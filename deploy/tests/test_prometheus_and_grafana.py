"""The alerts, the autoscaler's queries and the dashboard read only metrics and labels docs/operations.md
defines, and the docs name exactly the metrics the Swift code registers."""
import json
import os
import re

import pytest

from deploy_facts import (KUBERNETES, REPO, balanced, documented_metrics, label_problems, metric_names_in, the)


def source_metrics():
    names = set()
    for root, _, files in os.walk(os.path.join(REPO, "Sources")):
        for name in files:
            if name.endswith(".swift"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    names |= set(re.findall(r'"(polygrader_[a-z_]+)"', f.read()))
    return names


def alert_rules():
    rule = the("PrometheusRule")
    return [r for g in rule["spec"]["groups"] for r in g["rules"]]


def dashboard():
    with open(os.path.join(KUBERNETES, "grafana-dashboard.json"), encoding="utf-8") as f:
        return json.load(f)


def dashboard_exprs():
    return [(p["title"], t["expr"]) for p in dashboard()["panels"] for t in p["targets"]]


def scaler_queries():
    return [(t["name"], t["metadata"]["query"]) for t in the("ScaledObject")["spec"]["triggers"]]


ALL_EXPRESSIONS = ([("rule " + r["alert"], r["expr"]) for r in alert_rules()]
                   + [("panel " + t, e) for t, e in dashboard_exprs()]
                   + [("trigger " + n, q) for n, q in scaler_queries()])


def test_docs_name_exactly_the_metrics_the_code_registers():
    assert documented_metrics() == source_metrics()


@pytest.mark.parametrize("where,expr", ALL_EXPRESSIONS, ids=[w for w, _ in ALL_EXPRESSIONS])
def test_expression_reads_documented_metrics_and_labels(where, expr):
    assert balanced(expr), f"{where}: unbalanced brackets or quotes: {expr}"
    names = metric_names_in(expr)
    assert names or re.search(r"\bup\{", expr), f"{where}: reads no polygrader metric: {expr}"
    assert names <= documented_metrics(), f"{where}: undocumented metrics {sorted(names - documented_metrics())}"
    assert label_problems(expr) == [], where


def test_the_checks_catch_an_unknown_metric_and_label():
    # The parametrized test above would pass vacuously if these helpers accepted anything.
    assert metric_names_in("rate(polygrader_grading_duration_seconds_bucket[5m])") == {"polygrader_grading_duration_seconds"}
    assert not metric_names_in("polygrader_submissions") <= documented_metrics()
    assert label_problems('polygrader_slots{queue="a"}') == ["polygrader_slots has no label queue"]
    assert not balanced("sum(rate(x[5m])")


def test_the_alerts_the_issue_asks_for_exist():
    rules = {r["alert"]: r for r in alert_rules()}
    down, growing, errors, no_success = (rules.get(n) for n in
                                         ("PolygraderDown", "PolygraderQueueGrowing", "PolygraderXQueueErrors", "PolygraderNoSuccess"))
    assert down and re.search(r'\bup\{job="polygrader"\} == 0', down["expr"])
    assert growing and "polygrader_queue_length" in growing["expr"] and "delta(" in growing["expr"]
    assert errors and "rate(polygrader_xqueue_errors_total" in errors["expr"]
    assert no_success and "time() - " in no_success["expr"] and "polygrader_last_success_timestamp_seconds" in no_success["expr"]
    assert "PolygraderInternalErrors" in rules


def test_every_alert_is_complete():
    for rule in alert_rules():
        assert re.fullmatch(r"Polygrader[A-Za-z]+", rule["alert"])
        assert rule["labels"]["severity"] in ("critical", "warning")
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        if "for" in rule:
            assert re.fullmatch(r"\d+[smh]", rule["for"])
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}


def test_dashboard_is_importable_grafana_json():
    d = dashboard()
    assert d["uid"] == "polygrader" and d["title"]
    ids = [p["id"] for p in d["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    variables = {v["name"] for v in d["templating"]["list"]}
    assert {"datasource", "namespace"} <= variables
    for p in d["panels"]:
        assert p["type"] in ("timeseries", "stat", "table", "gauge")
        assert p["datasource"]["uid"] == "${datasource}"
        grid = p["gridPos"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= 24
        refs = [t["refId"] for t in p["targets"]]
        assert refs and len(refs) == len(set(refs))
        for t in p["targets"]:
            used = set(re.findall(r"\$\{?([a-z_]+)", t["expr"])) - {"__rate_interval"}
            assert used <= variables, f"{p['title']}: unknown variables {used - variables}"


def test_dashboard_shows_every_metric():
    shown = set().union(*(metric_names_in(e) for _, e in dashboard_exprs()))
    assert shown == documented_metrics()
