"""The store's timed actions (what the scheduler and kubelet stand-ins run on), without a server: due order,
ties, deletions interleaved, actions writing through the store, watches woken for them."""

import threading
import time

from fakeapi import readiness
from fakeapi.store import Store


def test_actions_run_in_due_order_on_the_next_operation_and_may_write():
    store = Store()
    store.create("pods", "ns/p", {"metadata": {"name": "p"}})
    ran = []
    now = time.monotonic()

    def write(due):
        ran.append(("write", due))
        stored = store.get("pods", "ns/p")  # re-entrant: no second reap in here
        store.replace("pods", "ns/p", {**stored.obj, "status": {"phase": "Running"}})
        store.call_at(due, lambda d: ran.append(("chained", d)))  # relative to its own due time: runs in this reap

    store.call_at(now - 0.1, write)
    store.call_at(now - 0.2, lambda d: ran.append(("first", d)))
    store.call_at(now - 0.1, lambda d: ran.append(("tie, scheduled later", d)))
    store.call_at(now + 60, lambda d: ran.append(("future", d)))
    assert ran == []  # nothing runs until the store is used
    revision = store.revision
    assert [name for name, _ in ran] == ["first", "write", "tie, scheduled later", "chained"]
    assert ran[1][1] == now - 0.1 and ran[3][1] == now - 0.1
    assert store.get("pods", "ns/p").obj["status"] == {"phase": "Running"} and revision == int(store.get("pods", "ns/p").obj["metadata"]["resourceVersion"])


def test_deletions_and_actions_share_one_timeline():
    store = Store(grace_scale=0.001)
    store.create("pods", "ns/p", {"metadata": {"name": "p"}})
    seen = []
    before = time.monotonic()
    store.call_at(before + 0.005, lambda d: seen.append(store.get("pods", "ns/p") is not None))
    store.remove_after("pods", "ns/p", 10)  # 10 ms from now: after the action above, before the one below
    store.call_at(time.monotonic() + 0.02, lambda d: seen.append(store.get("pods", "ns/p") is not None))
    time.sleep(0.05)
    store.reap()
    assert seen == [True, False]


def test_a_failing_action_does_not_break_the_store(capsys):
    store = Store()
    store.call_at(time.monotonic() - 1, lambda d: 1 / 0)
    store.call_at(time.monotonic() - 1, lambda d: store.create("pods", "ns/after", {"metadata": {"name": "after"}}))
    assert store.count("pods") == 1
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_a_waiting_watch_wakes_for_an_action_scheduled_after_it_started_waiting():
    store = Store()
    woke = []

    def waiter():
        started = time.monotonic()
        store.wait_for_change(5)  # woken by call_at, then by the action's write
        while store.count("pods") == 0 and time.monotonic() - started < 5:
            store.wait_for_change(5)
        woke.append(time.monotonic() - started)

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.05)
    store.call_at(time.monotonic() + 0.1, lambda d: store.create("pods", "ns/p", {"metadata": {"name": "p"}}))
    thread.join(5)
    assert woke and 0.1 <= woke[0] < 2


def test_node_normalizer_is_idempotent_and_keeps_other_taints():
    node = {"metadata": {"name": "n"}, "spec": {"taints": [{"key": "sku", "value": "gpu", "effect": "NoSchedule"}]},
            "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}}
    once = readiness.with_controller_taints(node)
    assert [(t["key"], t["effect"]) for t in once["spec"]["taints"]] == [
        ("sku", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")]
    assert readiness.with_controller_taints(once) is once
    ready = {**once, "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
    assert readiness.with_controller_taints(ready)["spec"]["taints"] == [{"key": "sku", "value": "gpu", "effect": "NoSchedule"}]
    unknown_ready = {"metadata": {"name": "m"}, "spec": {"taints": [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]}}
    assert readiness.with_controller_taints(unknown_ready) is unknown_ready  # no Ready condition: left alone
