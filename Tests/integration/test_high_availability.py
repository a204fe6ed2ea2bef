"""Several replicas against one fake API server (README, "High availability"): exactly one leads, only its
requests write, a callback sent to any replica gives a first probe pod at once, and the leadership moves when the
leader is killed, cut off from the Lease or stopped. Election timings are shortened: a 4 s Lease, a 3 s renew
deadline, a 1 s retry period."""

from __future__ import annotations

import datetime
import signal

import pytest

from testkit.cluster_effects import HEALED, parse_rfc3339, probe_pod_name
from testkit.fake_cluster import FakeCluster
from testkit.launcher import Launcher
from testkit.replicas import (LEASE_PATH, LEASE_SECONDS, RENEW_DEADLINE_SECONDS, RETRY_SECONDS, Replicas, is_write,
                              replica_of)
from testkit.reviews import admission_review, windows_node
from testkit.waiting import wait_until
from testkit.webhook_caller import WebhookCaller

def log_time(record: dict) -> datetime.datetime:
    return parse_rfc3339(record["time"])


@pytest.fixture()
def cluster(tmp_path_factory) -> FakeCluster:
    cluster = FakeCluster(tmp_path_factory.mktemp("fakeapi"))
    yield cluster
    cluster.stop()


@pytest.fixture()
def launcher(vigilante_bin, serving_certificate, tmp_path_factory) -> Launcher:
    launcher = Launcher(vigilante_bin, tmp_path_factory, serving_certificate)
    yield launcher
    launcher.stop_all()


def test_three_replicas_have_exactly_one_leader_and_the_lease_and_gauges_agree(launcher, cluster) -> None:
    replicas = Replicas(launcher.start, cluster, 3)
    leader = replicas.leader()
    lease = cluster.lease()
    assert lease["spec"]["leaseDurationSeconds"] == LEASE_SECONDS
    assert lease["spec"]["acquireTime"] and lease["spec"]["renewTime"]
    # Over several renewals (each a PUT of the Lease by the leader), the holder and the gauges keep agreeing.
    for _ in range(4):
        seen = len(cluster.requests())
        wait_until(lambda: any(e["method"] == "PUT" and e["path"] == LEASE_PATH
                               for e in cluster.requests()[seen:]), timeout=10, message="a renewal")
        assert cluster.lease_holder() == leader
        gauges = replicas.gauges()
        assert gauges[leader] == 1 and sorted(gauges.values()) == [0, 0, 1], gauges
    # Followers only ever read the Lease (or lose a race to create it); they never renew it.
    lease_writes = [e for e in cluster.requests() if e["method"] == "PUT" and e["path"] == LEASE_PATH]
    assert {replica_of(e) for e in lease_writes if e["status"] == 200} == {leader}


@pytest.mark.parametrize("count", [2, 3])
def test_a_callback_to_any_replica_gives_a_first_probe_pod_within_a_second(launcher, cluster, serving_certificate,
                                                                           count) -> None:
    replicas = Replicas(launcher.start, cluster, count, {"interval": "1s", "unsafe_allow_short_intervals": True,
                                                   "tasks": {"snat": {"healing_duration": "30s"}}})
    leader = replicas.leader()
    delays = {}
    for turn, (identity, server) in enumerate(list(replicas.by_identity.items()) * 2):
        name = f"akswin{count}{turn:05d}"
        node = windows_node(name, ready=True)
        caller = WebhookCaller(server.webhook_port, serving_certificate.ca_file)
        caller.review(admission_review("CREATE", node, uid=f"ha-{count}-{turn}"))
        caller.close()
        stored_at = datetime.datetime.now(datetime.timezone.utc)
        cluster.admin("POST", "nodes", node)  # the API server stores the node after the callback
        create = wait_until(lambda: next((e for e in cluster.requests() if e["method"] == "POST"
                                          and e["path"].endswith("/pods") and name in (e.get("body") or "")), None),
                            timeout=10, interval=0.02, message=f"a probe pod for {name}")
        delays[(identity, name)] = (parse_rfc3339(create["wallTime"]) - stored_at).total_seconds()
    assert all(delay < 1.0 for delay in delays.values()), delays
    # Only the leader wrote: probe pods, node annotations, Events.
    writers = {replica_of(e) for e in cluster.requests() if is_write(e)}
    assert writers == {leader}, writers


def test_kill_9_of_the_leader_mid_window_moves_the_leadership_and_the_node_is_healed(launcher, cluster) -> None:
    replicas = Replicas(launcher.start, cluster, 2, {"interval": "1s", "unsafe_allow_short_intervals": True,
                                               "tasks": {"snat": {"healing_duration": "8s", "min_sandboxes": 2}}})
    leader = replicas.leader()
    follower = next(i for i in replicas.by_identity if i != leader)
    node = "akswin000077"
    cluster.admin("POST", "nodes", windows_node(node, ready=True))
    wait_until(lambda: cluster.pod(probe_pod_name(node)), timeout=10, interval=0.05, message="the first probe pod")
    killed_at = datetime.datetime.now(datetime.timezone.utc)
    replicas.by_identity[leader].kill()
    # A write the leader sent just before the signal may be logged after killed_at; none can come after this.
    dead_at = datetime.datetime.now(datetime.timezone.utc)
    took_over = replicas.became_leader(follower, timeout=LEASE_SECONDS + RETRY_SECONDS + 10)
    assert took_over is not None, replicas.by_identity[follower].log_text()
    failover = (log_time(took_over) - killed_at).total_seconds()
    assert failover <= LEASE_SECONDS + RETRY_SECONDS + 0.5, f"took over after {failover:.2f} s"
    assert cluster.lease_holder() == follower
    wait_until(lambda: cluster.annotations(node).get(HEALED) == "true", timeout=60, message="the node healed")
    writes_after = [e for e in cluster.requests() if is_write(e) and parse_rfc3339(e["wallTime"]) > dead_at]
    assert writes_after and {replica_of(e) for e in writes_after} == {follower}


def test_a_leader_cut_off_from_the_lease_stops_writing_before_another_takes_over(launcher, cluster) -> None:
    replicas = Replicas(launcher.start, cluster, 2, {"interval": "1s", "unsafe_allow_short_intervals": True,
                                               "tasks": {"snat": {"healing_duration": "60s"}}})
    leader = replicas.leader()
    follower = next(i for i in replicas.by_identity if i != leader)
    node = "akswin000078"
    cluster.admin("POST", "nodes", windows_node(node, ready=True))
    wait_until(lambda: cluster.pod(probe_pod_name(node)), timeout=10, interval=0.05, message="the first probe pod")
    # Every Lease call of the leader fails from now on; its other calls still succeed.
    cluster.admin("POST", "faults", {"kind": "status", "status": 500, "method": "PUT|GET", "path": "leases",
                                     "userAgent": f"\\({leader}\\)", "count": 100000})
    lost = replicas.by_identity[leader].wait_for_log(lambda r: r.get("message", "").startswith("Lost the leadership"),
                                                     timeout=RENEW_DEADLINE_SECONDS + 10)
    assert lost is not None, replicas.by_identity[leader].log_text()
    took_over = replicas.became_leader(follower, timeout=LEASE_SECONDS + RETRY_SECONDS + 10)
    assert took_over is not None, replicas.by_identity[follower].log_text()
    assert log_time(lost) < log_time(took_over)
    wait_until(lambda: any(is_write(e) and replica_of(e) == follower for e in cluster.requests()), timeout=10,
               message="the new leader writing")
    cluster.admin("DELETE", "faults")
    entries = cluster.requests()
    old_writes = [e for e in entries if is_write(e) and replica_of(e) == leader]
    new_writes = [e for e in entries if is_write(e) and replica_of(e) == follower]
    # No overlap: the old leader's last write was answered before the new leader's first was received.
    assert old_writes and new_writes
    assert max(e["endMs"] for e in old_writes) < min(e["timeMs"] for e in new_writes)
    assert replicas.gauges() == {leader: 0, follower: 1}


def test_sigterm_of_the_leader_releases_the_lease_and_a_follower_takes_over_within_two_retry_periods(
        launcher, cluster) -> None:
    replicas = Replicas(launcher.start, cluster, 2)
    leader = replicas.leader()
    follower = next(i for i in replicas.by_identity if i != leader)
    server = replicas.by_identity[leader]
    server.signal(signal.SIGTERM)
    released = server.wait_for_log(lambda r: r.get("message") == "Released the leader Lease", timeout=15)
    assert released is not None, server.log_text()
    assert server.wait(15) == 0
    took_over = replicas.became_leader(follower, timeout=10)
    assert took_over is not None
    takeover = (log_time(took_over) - log_time(released)).total_seconds()
    assert takeover <= 2 * RETRY_SECONDS, f"took over {takeover:.2f} s after the release"
    lease = cluster.lease()
    assert lease["spec"]["holderIdentity"] == follower
    assert lease["spec"]["leaseTransitions"] >= 1
