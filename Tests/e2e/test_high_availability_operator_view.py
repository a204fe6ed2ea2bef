"""What an operator sees of three replicas with leader election, with the real tools: `kubectl get lease -o yaml`
and the official Python client name the leader (holder, duration, times, transitions), a real Prometheus scraping
all three sums `cops_vigilante_leader` to exactly 1, and after a `kill -9` of the leader the Lease names another
replica, with one more transition, while the node it was healing ends healed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from test_kubectl_operator_view import kubectl
from testkit.prometheus import Prometheus
from testkit.cluster_effects import HEALED, probe_pod_name
from testkit.replicas import LEASE_SECONDS, RETRY_SECONDS, Replicas
from testkit.reviews import windows_node
from testkit.waiting import wait_until

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, config  # noqa: E402

NODE = "akswin000051"


def read_lease(kubeconfig: Path):
    configuration = client.Configuration()
    config.load_kube_config(config_file=str(kubeconfig), client_configuration=configuration)
    with client.ApiClient(configuration) as api:
        return client.CoordinationV1Api(api).read_namespaced_lease("cops-vigilante", "kube-system")


def test_the_leader_is_visible_in_the_lease_and_moves_when_it_is_killed(launch, cluster, tmp_path: Path) -> None:
    replicas = Replicas(launch, cluster, 3, {"interval": "1s", "unsafe_allow_short_intervals": True,
                                             "tasks": {"snat": {"healing_duration": "8s", "min_sandboxes": 2}}})
    leader = replicas.leader()

    shown = yaml.safe_load(kubectl(cluster, tmp_path, "get", "lease", "-n", "kube-system", "cops-vigilante",
                                   "-o", "yaml"))
    assert shown["spec"]["holderIdentity"] == leader
    assert shown["spec"]["leaseDurationSeconds"] == LEASE_SECONDS
    assert shown["spec"]["leaseTransitions"] == 0
    assert shown["spec"]["acquireTime"] and shown["spec"]["renewTime"]
    lease = read_lease(cluster.kubeconfig)
    assert lease.spec.holder_identity == leader and lease.spec.renew_time is not None

    prometheus = Prometheus(tmp_path / "prometheus",
                            [server.metrics_port for server in replicas.by_identity.values()])
    try:
        def scraped() -> bool:
            up = prometheus.query('count(up{job="cops-vigilante"} == 1)')
            leaders = prometheus.query("sum(cops_vigilante_leader)")
            return bool(up and leaders and float(up[0]["value"][1]) == 3 and float(leaders[0]["value"][1]) == 1)
        wait_until(lambda: prometheus.ready() and scraped(), timeout=30, interval=0.5,
                   message="Prometheus seeing three replicas and exactly one leader")
        by_replica = {r["metric"]["instance"]: float(r["value"][1]) for r in prometheus.query("cops_vigilante_leader")}
        leader_port = replicas.by_identity[leader].metrics_port
        assert by_replica == {f"127.0.0.1:{s.metrics_port}": (1.0 if s.metrics_port == leader_port else 0.0)
                              for s in replicas.by_identity.values()}
    finally:
        prometheus.stop()

    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    wait_until(lambda: cluster.pod(probe_pod_name(NODE)), timeout=10, interval=0.05, message="the first probe pod")
    replicas.by_identity[leader].kill()
    new_leader = wait_until(lambda: (h := cluster.lease_holder()) not in ("", leader) and h,
                            timeout=LEASE_SECONDS + RETRY_SECONDS + 10, interval=0.1, message="another leader")
    moved = json.loads(kubectl(cluster, tmp_path, "get", "lease", "-n", "kube-system", "cops-vigilante",
                               "-o", "json"))
    assert moved["spec"]["holderIdentity"] == new_leader
    assert moved["spec"]["leaseTransitions"] == 1
    assert kubectl(cluster, tmp_path, "get", "lease", "-n", "kube-system").splitlines()[1].split()[1] == new_leader
    wait_until(lambda: cluster.annotations(NODE).get(HEALED) == "true", timeout=60, message="the node healed")
