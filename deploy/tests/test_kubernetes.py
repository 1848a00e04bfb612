"""Every manifest in deploy/kubernetes validated without a cluster.

Built-in kinds: against the Kubernetes OpenAPI schemas that the kubernetes-validate package bundles (strict:
unknown fields are errors), for the oldest version the manifests support (1.30: `appArmorProfile`) and the
newest the package knows. Custom resources (KEDA's ScaledObject, the Prometheus Operator's ServiceMonitor and
PrometheusRule) against minimal schemas of the fields we use, written here. Then the references between the
manifests, and the configuration they carry rendered for two replicas.
"""
import json
import os
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

from deploy_facts import (DEPLOY, KUBERNETES, all_kubernetes_documents, documented_polygrader_keys, kubernetes_files,
                      load_documents, the)

# The Kubernetes OpenAPI schemas, bundled: `python3 -m pip install kubernetes-validate` (.ci/run does). Not a
# skip when missing: validating the manifests offline is the point of this file.
import kubernetes_validate as kv

OLDEST = "1.30"
CUSTOM = {"ScaledObject", "ServiceMonitor", "PrometheusRule"}
BUILTIN = [(f, d) for f, d in all_kubernetes_documents() if d["kind"] not in CUSTOM]


@pytest.mark.parametrize("version", [OLDEST, kv.latest_version()])
@pytest.mark.parametrize("name,doc", BUILTIN, ids=[f"{f}:{d['kind']}/{d['metadata']['name']}" for f, d in BUILTIN])
def test_builtin_resource_matches_the_kubernetes_schema(name, doc, version):
    kv.validate(doc, version, strict=True)


def test_the_schema_check_rejects_a_misspelt_field():
    doc = json.loads(json.dumps(the("StatefulSet")))
    doc["spec"]["template"]["spec"]["containers"][0]["securityContext"]["privilegd"] = True
    with pytest.raises(kv.ValidationError):
        kv.validate(doc, OLDEST, strict=True)


def obj(properties, required=(), extra=False):
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": extra}


STR = {"type": "string"}
META = obj({"name": STR, "namespace": STR, "labels": {"type": "object", "additionalProperties": STR}}, ["name"])
LABELS = {"type": "object", "additionalProperties": STR}
RULE = obj({"alert": STR, "expr": STR, "for": {"type": "string", "pattern": r"^\d+[smh]$"},
            "labels": LABELS, "annotations": LABELS}, ["alert", "expr"])
TRIGGER = obj({"type": {"enum": ["prometheus"]}, "name": STR,
               "metadata": obj({"serverAddress": {"type": "string", "pattern": "^https?://"}, "query": STR,
                                "threshold": {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
                                "activationThreshold": STR, "ignoreNullValues": {"enum": ["true", "false"]}},
                               ["serverAddress", "query", "threshold"])}, ["type", "metadata"])
POLICY = obj({"type": {"enum": ["Pods", "Percent"]}, "value": {"type": "integer", "minimum": 1},
              "periodSeconds": {"type": "integer", "minimum": 1}}, ["type", "value", "periodSeconds"])
RULES = obj({"stabilizationWindowSeconds": {"type": "integer", "minimum": 0}, "policies": {"type": "array", "items": POLICY}})
CRD_SCHEMAS = {
    ("keda.sh/v1alpha1", "ScaledObject"): obj({
        "apiVersion": STR, "kind": STR, "metadata": META,
        "spec": obj({
            "scaleTargetRef": obj({"apiVersion": STR, "kind": STR, "name": STR}, ["name"]),
            "minReplicaCount": {"type": "integer", "minimum": 0}, "maxReplicaCount": {"type": "integer", "minimum": 1},
            "pollingInterval": {"type": "integer", "minimum": 1}, "cooldownPeriod": {"type": "integer", "minimum": 0},
            "advanced": obj({"horizontalPodAutoscalerConfig": obj({"behavior": obj({"scaleUp": RULES, "scaleDown": RULES})})}),
            "triggers": {"type": "array", "minItems": 1, "items": TRIGGER},
        }, ["scaleTargetRef", "triggers"]),
    }, ["apiVersion", "kind", "metadata", "spec"]),
    ("monitoring.coreos.com/v1", "ServiceMonitor"): obj({
        "apiVersion": STR, "kind": STR, "metadata": META,
        "spec": obj({"selector": obj({"matchLabels": LABELS}, ["matchLabels"]),
                     "endpoints": {"type": "array", "minItems": 1, "items": obj(
                         {"port": STR, "path": STR, "interval": {"type": "string", "pattern": r"^\d+[smh]$"}}, ["port"])}},
                    ["selector", "endpoints"]),
    }, ["apiVersion", "kind", "metadata", "spec"]),
    ("monitoring.coreos.com/v1", "PrometheusRule"): obj({
        "apiVersion": STR, "kind": STR, "metadata": META,
        "spec": obj({"groups": {"type": "array", "minItems": 1, "items": obj(
            {"name": STR, "interval": STR, "rules": {"type": "array", "minItems": 1, "items": RULE}}, ["name", "rules"])}},
            ["groups"]),
    }, ["apiVersion", "kind", "metadata", "spec"]),
}
CUSTOM_DOCS = [(f, d) for f, d in all_kubernetes_documents() if d["kind"] in CUSTOM]


@pytest.mark.parametrize("name,doc", CUSTOM_DOCS, ids=[f"{f}:{d['kind']}" for f, d in CUSTOM_DOCS])
def test_custom_resource_matches_its_minimal_schema(name, doc):
    schema = CRD_SCHEMAS.get((doc["apiVersion"], doc["kind"]))
    assert schema, f"{name}: no schema for {doc['apiVersion']} {doc['kind']}"
    jsonschema.validate(doc, schema)


def test_every_custom_kind_is_present():
    assert {d["kind"] for _, d in CUSTOM_DOCS} == CUSTOM


def test_kustomization_lists_every_manifest_but_the_example_secret():
    kustomization = load_documents(os.path.join(KUBERNETES, "kustomization.yaml"))[0]
    listed = set(kustomization["resources"])
    files = {os.path.basename(p) for p in kubernetes_files()} - {"kustomization.yaml", "secret.example.yaml"}
    assert listed == files
    assert all(d["metadata"].get("namespace", kustomization["namespace"]) == kustomization["namespace"]
               for _, d in all_kubernetes_documents() if d["kind"] != "Namespace")


def pod_spec():
    return the("StatefulSet")["spec"]["template"]["spec"]


def grader_container():
    (container,) = [c for c in pod_spec()["containers"] if c["name"] == "polygrader"]
    return container


def manager_settings():
    return json.loads(the("ConfigMap", "polygrader-config")["data"]["xqwatcher.json"])["POLYGRADER"]


def test_references_between_manifests_resolve():
    sts = the("StatefulSet")
    service = the("Service")
    labels = sts["spec"]["template"]["metadata"]["labels"]
    assert sts["spec"]["serviceName"] == service["metadata"]["name"]
    assert sts["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    monitor = the("ServiceMonitor")
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert {e["port"] for e in monitor["spec"]["endpoints"]} <= {p["name"] for p in service["spec"]["ports"]}
    target = the("ScaledObject")["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("StatefulSet", sts["metadata"]["name"])
    volumes = {v["name"]: v for v in pod_spec()["volumes"]}
    names = {(d["kind"], d["metadata"]["name"]) for _, d in all_kubernetes_documents()}
    for volume in volumes.values():
        for source in volume.get("projected", {}).get("sources", []) + [volume]:
            if "configMap" in source:
                assert ("ConfigMap", source["configMap"]["name"]) in names
            if "secret" in source:
                assert ("Secret", source["secret"]["name"]) in names
        if "persistentVolumeClaim" in volume:
            assert ("PersistentVolumeClaim", volume["persistentVolumeClaim"]["claimName"]) in names
    for container in pod_spec()["initContainers"] + pod_spec()["containers"]:
        for mount in container["volumeMounts"]:
            assert mount["name"] in volumes
    for kind in ("NetworkPolicy", "PodDisruptionBudget"):
        selector = the(kind)["spec"].get("podSelector") or the(kind)["spec"]["selector"]
        assert selector["matchLabels"].items() <= labels.items(), kind
    ports = {p["name"] for p in grader_container()["ports"]}
    assert {p["port"] for rule in the("NetworkPolicy")["spec"]["ingress"] for p in rule["ports"]} <= ports


def test_probes_use_the_metrics_port_and_the_documented_endpoints():
    c = grader_container()
    port = {p["name"]: p["containerPort"] for p in c["ports"]}["metrics"]
    assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
    assert c["startupProbe"]["httpGet"]["path"] == "/healthz"
    # polygrader must listen where the kubelet and Prometheus reach it: all addresses, the container's port.
    assert manager_settings()["metrics_address"] == f"0.0.0.0:{port}"
    assert the("Service")["spec"]["ports"][0]["port"] == port


def test_shutdown_fits_in_the_termination_grace_period():
    assert pod_spec()["terminationGracePeriodSeconds"] > manager_settings()["shutdown_grace"] + 5


def test_the_grader_is_privileged_with_a_read_only_root_and_its_writable_places():
    sc = grader_container()["securityContext"]
    assert sc["privileged"] is True and sc["readOnlyRootFilesystem"] is True and sc["runAsUser"] == 0
    assert sc["seccompProfile"]["type"] == "Unconfined" and sc["appArmorProfile"]["type"] == "Unconfined"
    volumes = {v["name"]: v for v in pod_spec()["volumes"]}
    mounts = {m["mountPath"]: m for m in grader_container()["volumeMounts"]}
    for path in ("/run", "/tmp", "/var/cache/polygrader"):
        assert "emptyDir" in volumes[mounts[path]["name"]], f"{path} must be this pod's own emptyDir"
    assert mounts["/etc/polygrader"]["readOnly"] is True
    init = pod_spec()["initContainers"][0]["securityContext"]
    assert init["capabilities"]["drop"] == ["ALL"] and init["allowPrivilegeEscalation"] is False
    assert the("Namespace")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"


def test_the_init_step_runs_an_installed_script():
    init = pod_spec()["initContainers"][0]
    exe = init["command"][0]
    assert exe.startswith("/usr/local/libexec/polygrader/")
    assert os.access(os.path.join(DEPLOY, "bin", os.path.basename(exe)), os.X_OK)
    assert {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}} in init["env"]


def test_configuration_uses_only_documented_polygrader_keys():
    assert set(manager_settings()) <= documented_polygrader_keys()
    for name, text in the("ConfigMap", "polygrader-queues")["data"].items():
        for queue, settings in json.loads(text).items():
            assert set(settings.get("POLYGRADER", {})) <= documented_polygrader_keys(), f"{name}: {queue}"


def render(tmp_path, pod_name):
    """Run the init step on the manifests' own ConfigMaps and Secret, laid out as the pod mounts them."""
    src, queues, dest = tmp_path / "src", tmp_path / "queues", tmp_path / pod_name
    src.mkdir(exist_ok=True)
    queues.mkdir(exist_ok=True)
    for key, text in the("ConfigMap", "polygrader-config")["data"].items():
        (src / key).write_text(text)
    for key, text in the("Secret", "polygrader-servers")["stringData"].items():
        (src / key).write_text(text)
    for key, text in the("ConfigMap", "polygrader-queues")["data"].items():
        (queues / key).write_text(text)
    exe = os.path.join(DEPLOY, "bin", "polygrader-render-config")
    done = subprocess.run([sys.executable, exe, f"--source={src}", f"--conf-d={queues}", f"--dest={dest}"],
                          env=dict(os.environ, POD_NAME=pod_name), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return dest


def test_two_replicas_get_disjoint_slots_uids_and_their_own_names(tmp_path):
    ranges = []
    for pod in ("polygrader-0", "polygrader-1"):
        dest = render(tmp_path, pod)
        block = json.loads((dest / "xqwatcher.json").read_text())["POLYGRADER"]
        assert block["instance"] == pod
        slots = set(range(block["first_slot"], block["first_slot"] + block["slots"]))
        ranges.append((slots, {block.get("uid_base", 60000) + s for s in slots}))
        servers = json.loads((dest / "xqueue_servers.json").read_text())
        for name in os.listdir(dest / "conf.d"):
            for queue, settings in json.loads((dest / "conf.d" / name).read_text()).items():
                assert settings["SERVER_REF"] in servers, f"{queue}: SERVER_REF names no server of the Secret"
    (slots0, uids0), (slots1, uids1) = ranges
    assert slots0 and slots1 and not slots0 & slots1 and not uids0 & uids1


def test_the_autoscaler_stays_within_polyjails_slots():
    scaled = the("ScaledObject")["spec"]
    s = manager_settings()
    assert scaled["minReplicaCount"] >= 1, "the metrics come from the graders: scaling to zero never wakes up"
    assert s.get("first_slot", 0) + scaled["maxReplicaCount"] * s["slots"] - 1 <= 999
    assert scaled["maxReplicaCount"] >= the("StatefulSet")["spec"]["replicas"]
