"""Vigilante run outside the cluster (an operator's machine, ~/.kube/config) with no webhook registered: the API
server never calls it, and its start-up resync alone finds the Windows nodes that need healing and heals them,
leaving healed, NotReady and Linux nodes alone."""

from __future__ import annotations

from cluster_effects import pod_creates
from fake_cluster import HEALED, STARTED, wait_for, windows_node
from integration_support import metric, scrape

READY = ["akswin000021", "akswin000022"]
NOT_READY = "akswin000023"
ALREADY_HEALED = "akswin000024"


def test_without_any_callback_the_start_up_resync_heals_the_ready_windows_nodes(launch, cluster) -> None:
    healed = windows_node(ALREADY_HEALED, ready=True)
    healed["metadata"]["annotations"] = {HEALED: "true"}
    cluster.admin("POST", "nodes", [windows_node(name, ready=True) for name in READY]
                  + [windows_node(NOT_READY, ready=False), healed])
    cluster.admin("POST", "generate", {"linux": 3})

    server = launch(cluster, {"tasks": {"snat": {"healing_duration": "3s"}}}, kubeconfig_in_home=True)
    found = server.wait_for_log(lambda r: r.get("message") == "Kubernetes API", timeout=0)
    assert found is not None and ".kube/config" in found["metadata"]["cluster"], \
        f"not the kubeconfig of ~/.kube/config: {found}"

    for name in READY:
        wait_for(f"{name} marked healed", lambda: cluster.annotations(name).get(HEALED) == "true", timeout=25)
        assert STARTED not in cluster.annotations(name)
    requests = cluster.requests()
    assert pod_creates(requests, NOT_READY) == [], "a NotReady node got a probe pod"
    assert pod_creates(requests, ALREADY_HEALED) == [], "an already healed node got a probe pod"
    linux = [n["metadata"]["name"] for n in cluster.state()["nodes"]
             if n["metadata"]["labels"].get("kubernetes.io/os") == "linux"]
    assert len(linux) == 3 and not any(pod_creates(requests, name) for name in linux)
    assert cluster.annotations(NOT_READY).get(HEALED) is None
    assert (metric(scrape(server), "cops_vigilante_admission_requests_total") or 0) == 0, "the webhook was called"
