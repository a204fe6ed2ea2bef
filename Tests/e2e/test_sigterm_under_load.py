"""Kubernetes stops the pod (SIGTERM) while API servers keep calling and a node is healing: vigilante stops
accepting, answers what it took, stops the scheduler and exits 0 in time. The callers see answers, then refused
connections; nothing else."""

from __future__ import annotations

import signal
import time

from fake_cluster import STARTED, admission_review, wait_for, windows_node
from integration_support import wait_until
from review_loop import CLOSED_UNANSWERED, OK, REFUSED, ReviewLoop

NODE = "akswin000017"
CLIENTS = 4
# Kubernetes' default terminationGracePeriodSeconds is 30; vigilante must be well inside it.
EXIT_BOUND_SECONDS = 15


def test_sigterm_under_load_answers_what_it_took_refuses_new_connections_and_exits_0(
        launch, cluster, dev_certs, caller_for) -> None:
    server = launch(cluster, {"tasks": {"snat": {"healing_duration": "60s"}}})
    cluster.admin("POST", "nodes", windows_node(NODE, ready=True))
    caller_for(server).review(admission_review("UPDATE", windows_node(NODE, ready=True), sub_resource="status"))
    wait_for("the node healing", lambda: STARTED in cluster.annotations(NODE), timeout=10)

    loops = [ReviewLoop(server.webhook_port, dev_certs.ca_file, f"client-{n}", pause=0.002, stop_when_refused=True)
             for n in range(CLIENTS)]
    for loop in loops:
        loop.start()
    try:
        wait_until(lambda: all(loop.count(OK) >= 50 for loop in loops), timeout=20,
                   message="the clients did not get going")
        signalled = time.monotonic()
        server.signal(signal.SIGTERM)
        status = server.wait(timeout=EXIT_BOUND_SECONDS)
        took = time.monotonic() - signalled
        # Each client goes on until a new connection is refused.
        wait_until(lambda: not any(loop.is_alive() for loop in loops), timeout=10,
                   message="a client was never refused after the exit")
    finally:
        for loop in loops:
            loop.stop()

    assert status == 0, f"exit status {status} (None: still running {EXIT_BOUND_SECONDS} s after SIGTERM); " \
                        f"log:\n{server.log_text()}"
    assert took < EXIT_BOUND_SECONDS
    assert server.wait_for_log(lambda r: r.get("message") == "Stopped cleanly", timeout=2) is not None
    unexpected = [o for loop in loops for o in loop.unexpected(allowed_after=signalled)]
    assert not unexpected, f"failed calls: {unexpected[:10]}"
    assert all(loop.count(REFUSED) == 1 for loop in loops), "every client ends on a refused connection"
    # A request may cross the server's close of its idle kept-alive connection (see review_loop): a race of
    # microseconds, which no HTTP/1.1 server can close. One is tolerated; a server that dropped the requests in
    # flight at the signal would show one on nearly every busy client.
    unanswered = [o for loop in loops for o in loop.outcomes if o.kind == CLOSED_UNANSWERED]
    assert len(unanswered) <= 1, f"requests left unanswered at the shutdown: {unanswered}"
    print(f"{sum(loop.count(OK) for loop in loops)} calls answered, {len(unanswered)} crossed the close of an idle "
          f"connection, exit after {took:.2f} s")
