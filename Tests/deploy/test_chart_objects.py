"""What the chart renders, checked as an operator would read it: the webhook registration, least privilege, the
pod's hardening, certificates and the ServiceMonitor, for each variant of the values."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from chart_support import CHART_DIR, NAMESPACE, VARIANTS, RenderedChart, fullname, render

FULLNAME = fullname()


def rules(role: dict[str, Any]) -> list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    return sorted((tuple(r["apiGroups"]), tuple(r["resources"]), tuple(sorted(r["verbs"]))) for r in role["rules"])


# --- webhook registration -------------------------------------------------------------------------------------

def test_webhook_is_called_for_node_create_and_update_including_status(rendered: dict[str, RenderedChart]) -> None:
    (webhook,) = rendered["defaults"].one("ValidatingWebhookConfiguration")["webhooks"]
    (rule,) = webhook["rules"]
    assert sorted(rule["operations"]) == ["CREATE", "UPDATE"]
    assert sorted(rule["resources"]) == ["nodes", "nodes/status"]
    assert rule["apiGroups"] == [""] and rule["apiVersions"] == ["v1"]


def test_webhook_fails_open_and_is_safe_for_dry_run(rendered: dict[str, RenderedChart]) -> None:
    (webhook,) = rendered["defaults"].one("ValidatingWebhookConfiguration")["webhooks"]
    assert webhook["failurePolicy"] == "Ignore"
    assert webhook["sideEffects"] == "NoneOnDryRun"
    assert webhook["admissionReviewVersions"] == ["v1", "v1beta1"]
    assert 1 <= webhook["timeoutSeconds"] <= 10


def test_webhook_sees_only_windows_nodes_not_opted_out_by_default_and_the_selector_is_configurable() -> None:
    (default,) = render({}).one("ValidatingWebhookConfiguration")["webhooks"]
    skip = {"key": "cops-vigilante/skip", "operator": "NotIn", "values": ["true"]}
    assert default["objectSelector"] == {"matchLabels": {"kubernetes.io/os": "windows"}, "matchExpressions": [skip]}
    pools = [{"key": "agentpool", "operator": "In", "values": ["win1", "win2"]}]
    # Helm merges maps and replaces lists: expressions of one's own replace the default's (keep the skip entry);
    # a null matchLabels drops the default.
    (narrowed,) = render({"webhook": {"objectSelector": {"matchExpressions": pools + [skip]}}}).one(
        "ValidatingWebhookConfiguration")["webhooks"]
    assert narrowed["objectSelector"] == {"matchLabels": {"kubernetes.io/os": "windows"},
                                          "matchExpressions": pools + [skip]}
    (replaced,) = render({"webhook": {"objectSelector": {"matchLabels": None, "matchExpressions": pools}}}).one(
        "ValidatingWebhookConfiguration")["webhooks"]
    assert replaced["objectSelector"] == {"matchExpressions": pools}


def test_webhook_calls_the_service_on_its_https_port(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["defaults"]
    (webhook,) = chart.one("ValidatingWebhookConfiguration")["webhooks"]
    service = webhook["clientConfig"]["service"]
    assert (service["name"], service["namespace"]) == (FULLNAME, NAMESPACE)
    (port,) = [p for p in chart.one("Service")["spec"]["ports"] if p["port"] == service["port"]]
    assert port["targetPort"] == "webhook" and port["appProtocol"] == "https"


def test_cert_manager_injects_the_ca_of_the_serving_certificate(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["create_certificates"]
    configuration = chart.one("ValidatingWebhookConfiguration")
    serving = [c for c in chart.all("Certificate") if not c["spec"].get("isCA")]
    (certificate,) = serving
    assert configuration["metadata"]["annotations"]["cert-manager.io/inject-ca-from"] == (
        f"{NAMESPACE}/{certificate['metadata']['name']}")
    assert "caBundle" not in configuration["webhooks"][0]["clientConfig"]


def test_without_cert_manager_the_ca_bundle_comes_from_the_values(rendered: dict[str, RenderedChart]) -> None:
    configuration = rendered["own_ca_bundle"].one("ValidatingWebhookConfiguration")
    assert configuration["webhooks"][0]["clientConfig"]["caBundle"] == "Y2EtYnVuZGxl"
    assert "annotations" not in configuration["metadata"]
    volume = [v for v in rendered["own_ca_bundle"].pod_spec["volumes"] if v["name"] == "tls"][0]
    assert volume["secret"]["secretName"] == "vigilante-serving"


def test_without_a_ca_bundle_the_notes_warn_that_only_the_resync_finds_nodes(rendered: dict[str, RenderedChart]) -> None:
    assert "webhook.caBundle is empty" in rendered["defaults"].notes
    assert "webhook.caBundle is empty" not in rendered["own_ca_bundle"].notes


@pytest.mark.parametrize("variant", ["webhook_off", "tls_off"])
def test_no_registration_when_turned_off_or_without_tls(rendered: dict[str, RenderedChart], variant: str) -> None:
    # Without TLS the API server could not call the webhook at all; vigilante then relies on its resync.
    chart = rendered[variant]
    assert not chart.has("ValidatingWebhookConfiguration")
    assert chart.has("Deployment")
    assert "not registered" in chart.notes


# --- least privilege --------------------------------------------------------------------------------------------

def test_cluster_role_grants_nodes_and_events_only(rendered: dict[str, RenderedChart]) -> None:
    # watch: the leader's watch of Windows nodes (leader election is on by default); pods list: the pods of a
    # healed node that predate its healing (tasks.snat.report_pods_predating_healing, on by default).
    assert rules(rendered["defaults"].one("ClusterRole")) == [
        (("",), ("nodes",), ("get", "list", "patch", "watch")),
        (("",), ("pods",), ("list",)),
        (("events.k8s.io",), ("events",), ("create",)),
    ]


def test_cluster_wide_pod_list_goes_with_the_predating_pods_report() -> None:
    chart = render({"config": {"tasks": {"snat": {"report_pods_predating_healing": False}}}})
    assert (("",), ("pods",), ("list",)) not in rules(chart.one("ClusterRole"))


def test_pods_eviction_is_granted_only_when_eviction_is_on(rendered: dict[str, RenderedChart]) -> None:
    assert all(r[1] != ("pods/eviction",) for r in rules(rendered["defaults"].one("ClusterRole")))
    chart = render({"config": {"tasks": {"snat": {"evict_pods_predating_healing": True}}}})
    assert (("",), ("pods/eviction",), ("create",)) in rules(chart.one("ClusterRole"))


@pytest.mark.parametrize("variant,namespace", [("defaults", "kube-system"),
                                               ("custom_ports_and_namespace", "vigilante-probes")])
def test_pods_are_granted_only_in_the_probe_pod_namespace(
    rendered: dict[str, RenderedChart], variant: str, namespace: str
) -> None:
    chart = rendered[variant]
    role = chart.named("Role", f"{FULLNAME}-probe-pods")
    assert role["metadata"]["namespace"] == namespace
    assert rules(role) == [(("",), ("events",), ("list",)), (("",), ("pods",), ("create", "delete", "list"))]
    binding = chart.named("RoleBinding", f"{FULLNAME}-probe-pods")
    assert binding["metadata"]["namespace"] == namespace
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": FULLNAME, "namespace": NAMESPACE}]


def test_the_pod_runs_as_the_service_account_the_roles_are_bound_to(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["defaults"]
    account = chart.one("ServiceAccount")["metadata"]["name"]
    assert chart.pod_spec["serviceAccountName"] == account
    assert chart.one("ClusterRoleBinding")["subjects"][0]["name"] == account
    assert all(b["subjects"][0]["name"] == account for b in chart.all("RoleBinding"))
    assert {m["kind"] for m in chart.manifests} <= {
        "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap", "Service",
        "Deployment", "ValidatingWebhookConfiguration", "NetworkPolicy", "PodDisruptionBudget"}


# --- the pod ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS)
def test_the_pod_is_hardened(rendered: dict[str, RenderedChart], variant: str) -> None:
    chart = rendered[variant]
    pod, container = chart.pod_spec, chart.container
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    context = container["securityContext"]
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"] == {"drop": ["ALL"]}
    assert context["runAsUser"] >= 10000
    assert pod["nodeSelector"]["kubernetes.io/os"] == "linux"


def test_two_replicas_replaced_one_at_a_time(rendered: dict[str, RenderedChart]) -> None:
    spec = rendered["defaults"].one("Deployment")["spec"]
    assert spec["replicas"] == 2
    assert spec["strategy"]["rollingUpdate"] == {"maxSurge": 0, "maxUnavailable": 1}


def test_more_than_one_replica_without_leader_election_is_refused() -> None:
    with pytest.raises(Exception, match="replicaCount above 1 needs config.leader_election.enabled"):
        render({"replicaCount": 3, "config": {"leader_election": {"enabled": False}}})


# --- high availability ----------------------------------------------------------------------------------------

SINGLE = {"replicaCount": 1, "config": {"leader_election": {"enabled": False}}}


def test_leader_election_is_on_with_the_lease_in_the_release_namespace(rendered: dict[str, RenderedChart]) -> None:
    conf = yaml.safe_load(rendered["defaults"].conf_yaml)
    assert conf["leader_election"] == {"enabled": True, "namespace": NAMESPACE, "lease_name": "cops-vigilante",
                                       "lease_duration": "15s", "renew_deadline": "10s", "retry_period": "2s"}


def test_the_lease_role_grants_get_create_update_of_leases_in_the_release_namespace_only(
        rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["defaults"]
    role = chart.named("Role", f"{FULLNAME}-leader-election")
    assert role["metadata"]["namespace"] == NAMESPACE
    assert rules(role) == [(("coordination.k8s.io",), ("leases",), ("create", "get", "update"))]
    binding = chart.named("RoleBinding", f"{FULLNAME}-leader-election")
    assert binding["metadata"]["namespace"] == NAMESPACE
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                  "name": f"{FULLNAME}-leader-election"}
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": FULLNAME, "namespace": NAMESPACE}]


def test_pods_know_their_name_and_namespace_from_the_downward_api(rendered: dict[str, RenderedChart]) -> None:
    env = {e["name"]: e["valueFrom"]["fieldRef"]["fieldPath"] for e in rendered["defaults"].container["env"]}
    assert env == {"POD_NAME": "metadata.name", "POD_NAMESPACE": "metadata.namespace"}


def test_replicas_prefer_different_nodes(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["defaults"]
    preferred = chart.pod_spec["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert len(preferred) == 1 and preferred[0]["weight"] == 100
    term = preferred[0]["podAffinityTerm"]
    assert term["topologyKey"] == "kubernetes.io/hostname"
    assert term["labelSelector"]["matchLabels"] == chart.one("Deployment")["spec"]["selector"]["matchLabels"]
    own = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "agentpool", "operator": "In", "values": ["system"]}]}]}}}
    assert render({"affinity": own}).pod_spec["affinity"] == own


def test_a_pod_disruption_budget_lets_one_replica_go_at_a_time(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["defaults"]
    budget = chart.one("PodDisruptionBudget")
    assert budget["apiVersion"] == "policy/v1" and budget["metadata"]["namespace"] == NAMESPACE
    assert budget["spec"] == {"maxUnavailable": 1,
                              "selector": {"matchLabels": chart.one("Deployment")["spec"]["selector"]["matchLabels"]}}
    assert not render({"podDisruptionBudget": {"enabled": False}}).has("PodDisruptionBudget")


@pytest.mark.parametrize("key", ["namespace", "identity"])
def test_the_leases_namespace_and_the_identity_are_not_values(key: str) -> None:
    with pytest.raises(Exception, match=key):
        render({"config": {"leader_election": {key: "elsewhere"}}})


def test_one_replica_without_leader_election_has_no_lease_and_no_watch() -> None:
    chart = render(SINGLE)
    assert chart.one("Deployment")["spec"]["replicas"] == 1
    assert yaml.safe_load(chart.conf_yaml)["leader_election"]["enabled"] is False
    assert [r["metadata"]["name"] for r in chart.all("Role")] == [f"{FULLNAME}-probe-pods"]
    assert rules(chart.one("ClusterRole"))[0] == (("",), ("nodes",), ("get", "list", "patch"))


def test_healing_off_needs_no_lease() -> None:
    chart = render({"config": {"tasks": {"snat": {"enabled": False}}}})
    assert [r["metadata"]["name"] for r in chart.all("Role")] == [f"{FULLNAME}-probe-pods"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_probes_use_the_metrics_port(rendered: dict[str, RenderedChart], variant: str) -> None:
    container = rendered[variant].container
    assert container["livenessProbe"]["httpGet"]["port"] == "metrics"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["port"] == "metrics"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_resource_requests_are_set_by_default(rendered: dict[str, RenderedChart]) -> None:
    resources = rendered["defaults"].container["resources"]
    assert set(resources["requests"]) == {"cpu", "memory"}
    assert "memory" in resources["limits"]


def test_custom_tolerations_resources_and_node_selector(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["custom_tolerations_and_resources"]
    values = VARIANTS["custom_tolerations_and_resources"]
    assert chart.pod_spec["tolerations"] == values["tolerations"]
    assert chart.container["resources"] == values["resources"]
    assert chart.pod_spec["nodeSelector"] == {"agentpool": "system", "kubernetes.io/os": "linux"}
    conf = yaml.safe_load(chart.conf_yaml)
    assert conf["tasks"]["snat"]["healing_pod_tolerations"] == (
        values["config"]["tasks"]["snat"]["healing_pod_tolerations"])


def test_a_config_change_rolls_the_pod() -> None:
    def checksum(values: dict[str, Any]) -> str:
        return render(values).one("Deployment")["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    assert checksum({}) == checksum({})
    assert checksum({}) != checksum({"config": {"interval": 60}})
    assert checksum({}) == checksum({"create_service_monitor": True})


def test_image_is_the_chart_app_version_unless_tag_or_digest_is_set(rendered: dict[str, RenderedChart]) -> None:
    app_version = yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())["appVersion"]
    assert rendered["defaults"].container["image"] == f"conplementag/cops-vigilante:{app_version}"
    assert rendered["go_chart_values"].container["image"] == "conplementag/cops-vigilante:1.2.1"
    digest = "sha256:" + "a" * 64
    assert render({"image": {"digest": digest}}).container["image"] == f"conplementag/cops-vigilante@{digest}"


def test_the_config_map_mounts_where_the_binary_reads_it(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["defaults"]
    mounts = {m["name"]: m["mountPath"] for m in chart.container["volumeMounts"]}
    assert mounts["config"] == "/etc/vigilante/config"
    volume = [v for v in chart.pod_spec["volumes"] if v["name"] == "config"][0]
    assert volume["configMap"]["name"] == chart.one("ConfigMap")["metadata"]["name"]
    assert set(chart.one("ConfigMap")["data"]) == {"conf.yaml"}


def test_values_merge_over_the_chart_config_and_lists_replace() -> None:
    conf = yaml.safe_load(render({"config": {"interval": "45s", "tasks": {"snat": {"enabled": False}}}}).conf_yaml)
    assert conf["interval"] == "45s"
    assert conf["tasks"]["snat"]["enabled"] is False
    assert conf["tasks"]["snat"]["pod_namespace"] == "kube-system"


def test_the_go_chart_server_use_tls_key_becomes_tls(rendered: dict[str, RenderedChart]) -> None:
    conf = yaml.safe_load(rendered["go_chart_values"].conf_yaml)
    assert "server_use_tls" not in conf and conf["tls"] is True
    off = render({"config": {"server_use_tls": False}})
    assert yaml.safe_load(off.conf_yaml)["tls"] is False
    assert not off.has("ValidatingWebhookConfiguration")


# --- certificates ------------------------------------------------------------------------------------------------

def test_cert_manager_makes_a_p256_ca_and_serving_certificate(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["create_certificates"]
    issuers = {i["metadata"]["name"]: i["spec"] for i in chart.all("Issuer")}
    ca, serving = sorted(chart.all("Certificate"), key=lambda c: not c["spec"].get("isCA"))
    assert issuers[ca["spec"]["issuerRef"]["name"]] == {"selfSigned": {}}
    assert issuers[serving["spec"]["issuerRef"]["name"]] == {"ca": {"secretName": ca["spec"]["secretName"]}}
    for certificate in (ca, serving):
        assert certificate["spec"]["privateKey"]["algorithm"] == "ECDSA"
        assert certificate["spec"]["privateKey"]["size"] == 256
    assert "server auth" in serving["spec"]["usages"]


def test_serving_certificate_names_the_service_and_is_mounted(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["create_certificates"]
    serving = [c for c in chart.all("Certificate") if not c["spec"].get("isCA")][0]
    service = chart.one("Service")["metadata"]["name"]
    assert f"{service}.{NAMESPACE}.svc" in serving["spec"]["dnsNames"]
    assert f"{service}.{NAMESPACE}.svc.cluster.local" in serving["spec"]["dnsNames"]
    volume = [v for v in chart.pod_spec["volumes"] if v["name"] == "tls"][0]
    assert volume["secret"]["secretName"] == serving["spec"]["secretName"]
    assert {i["key"] for i in volume["secret"]["items"]} == {"tls.crt", "tls.key"}


def test_no_certificate_objects_unless_asked(rendered: dict[str, RenderedChart]) -> None:
    assert not rendered["defaults"].has("Certificate") and not rendered["defaults"].has("Issuer")


def test_without_tls_nothing_is_mounted(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["tls_off"]
    assert "tls" not in {v["name"] for v in chart.pod_spec["volumes"]}


# --- metrics -----------------------------------------------------------------------------------------------------

def test_service_monitor_scrapes_plain_http_by_default(rendered: dict[str, RenderedChart]) -> None:
    (endpoint,) = rendered["create_service_monitor"].one("ServiceMonitor")["spec"]["endpoints"]
    assert endpoint["port"] == "metrics" and endpoint["scheme"] == "http"
    assert "tlsConfig" not in endpoint


def test_service_monitor_verifies_https_when_metrics_use_tls(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["metrics_tls"]
    (endpoint,) = chart.one("ServiceMonitor")["spec"]["endpoints"]
    assert endpoint["scheme"] == "https"
    assert endpoint["tlsConfig"]["serverName"] == f"{FULLNAME}.{NAMESPACE}.svc"
    assert "insecureSkipVerify" not in endpoint["tlsConfig"]
    assert chart.container["readinessProbe"]["httpGet"]["scheme"] == "HTTPS"


def test_service_monitor_selects_the_service(rendered: dict[str, RenderedChart]) -> None:
    chart = rendered["create_service_monitor"]
    selector = chart.one("ServiceMonitor")["spec"]["selector"]["matchLabels"]
    labels = chart.one("Service")["metadata"]["labels"]
    assert selector.items() <= labels.items()
    assert not rendered["defaults"].has("ServiceMonitor")


def test_network_policy_admits_only_the_two_listeners(rendered: dict[str, RenderedChart]) -> None:
    policy = rendered["defaults"].one("NetworkPolicy")["spec"]
    assert policy["policyTypes"] == ["Ingress"]
    assert [p["port"] for p in policy["ingress"][0]["ports"]] == ["webhook", "metrics"]
    assert not render({"networkPolicy": {"enabled": False}}).has("NetworkPolicy")
