"""The admin side for tests, under /_admin/ on the same listener, outside the Kubernetes API: no Kubernetes
auth, no request log, no faults, plain JSON answers ({"error": ...} with 400/404 on mistakes).
With --admin-token, every admin call needs the header `X-Admin-Token: <token>`.

  GET    /_admin/healthz                      "ok"
  GET    /_admin/state                        {resourceVersion, namespaces, nodes, pods, events, leases} (terminating pods too)
  GET    /_admin/nodes                        all nodes
  POST   /_admin/nodes                        seed nodes: an object, an array or a NodeList; upsert
  GET    /_admin/nodes/<name>                 one node
  PATCH  /_admin/nodes/<name>                 JSON merge patch of anything, status included (no validation)
  POST   /_admin/nodes/<name>/ready           {"ready": true|false|"Unknown"}: Ready condition and taints
  POST   /_admin/nodes/<name>/kubelet         the node's kubelet profile: {"sandboxDelayMs": int, "sandbox": "ok"|"fail",
                                               "image": "ok"|"fail", "retryMs": int}; fields left out keep their value
  GET    /_admin/nodes/<name>/kubelet         the profile in force ({"node", "sandboxDelayMs", "sandbox", "image", "retryMs"})
  DELETE /_admin/nodes/<name>/kubelet         back to the defaults (--sandbox-delay-ms, "ok", "ok", 10000)
  DELETE /_admin/nodes/<name>, /_admin/nodes  delete one node, or all
  POST   /_admin/generate                     {"linux": N, "windows": M, "seed": S, "windowsReady": true,
                                               "windowsAnnotations": {...}, "windowsNames": "mixed"}
  POST   /_admin/objects                      seed objects of any served kind (Pod, Namespace, Event, Node, Lease, PodDisruptionBudget)
  PATCH  /_admin/pods/<ns>/<name>             JSON merge patch of a pod (e.g. its status), no validation
  DELETE /_admin/pods/<ns>/<name>             remove a pod at once, even a terminating one
  POST   /_admin/namespaces                   {"name": "x"}
  GET    /_admin/requests[?since=<seq>]       the request log;  DELETE: clear it
  GET    /_admin/faults                       pending faults;  POST: add one;  DELETE: clear all
  POST   /_admin/compact                      continue tokens issued so far answer 410 Expired
  POST   /_admin/watch-cache                  {"lag": true}: the watch cache stops at the current revision (lists
                                               with resourceVersion=0 or NotOlderThan read that state, and wait for a
                                               later version in vain: 504); {"lag": false}: current again
  POST   /_admin/reset                        remove nodes, pods, events, leases, PodDisruptionBudgets and extra namespaces; clear log, faults and
                                               kubelet profiles

Kubelet profiles (lifecycle.py) say how the kubelet stand-in of one node treats the pods bound to it:
  sandboxDelayMs  how long creating a pod's sandbox takes (default: --sandbox-delay-ms); until then the pod is
                  Pending/ContainerCreating without an IP
  sandbox         "ok", or "fail": CNI ADD fails, the pod never gets an IP, a Warning FailedCreatePodSandBox Event
                  (Azure CNI's words) comes at each attempt
  image           "ok", or "fail": the sandbox gets its IP but the images cannot be pulled: ErrImagePull, then
                  ImagePullBackOff, with the kubelet's Failed/BackOff Events
  retryMs         the kubelet's next attempt after a failure (default 10000; 0: no further attempt)
A profile may name a node that does not exist (yet). It is read at each step, so a fix takes effect at the next
attempt; the delay is read when the pod is bound.
"""

import hmac
import json

from fakeapi import nodegen, readiness, seeding
from fakeapi.cluster import Cluster
from fakeapi.events import CORE_EVENT
from fakeapi.faults import FaultBook
from fakeapi.messages import Request, Response, json_response, text_response
from fakeapi.namespaces import NAMESPACE, SEEDED
from fakeapi.disruption import PDB
from fakeapi.leases import LEASE
from fakeapi.nodes import NODE
from fakeapi.patching import merge_patch
from fakeapi.pods import POD
from fakeapi.requestlog import RequestLog

PREFIX = "/_admin"


class AdminError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Admin:
    def __init__(self, cluster: Cluster, log: RequestLog, faults: FaultBook, token: str | None = None):
        self.cluster = cluster
        self.store = cluster.store
        self.log = log
        self.faults = faults
        self.token = token

    def handle(self, request: Request) -> Response:
        if self.token and not hmac.compare_digest((request.headers.get("X-Admin-Token") or "").encode(), self.token.encode()):
            return json_response(401, {"error": "missing or wrong X-Admin-Token"})
        try:
            return self._route(request.method, [s for s in request.path[len(PREFIX):].split("/") if s], request)
        except AdminError as err:
            return json_response(err.status, {"error": str(err)})
        except ValueError as err:
            return json_response(400, {"error": str(err)})

    def _route(self, method: str, parts: list[str], request: Request) -> Response:
        route = (method, parts[0] if parts else "", len(parts))
        handlers = {
            ("GET", "healthz", 1): lambda: text_response(200, "ok"),
            ("GET", "state", 1): self._state,
            ("GET", "nodes", 1): lambda: json_response(200, self._all(NODE)),
            ("POST", "nodes", 1): lambda: json_response(200, seeding.seed(self.cluster, seeding.objects_of(_body(request)), NODE)),
            ("DELETE", "nodes", 1): lambda: self._clear(NODE),
            ("GET", "nodes", 2): lambda: json_response(200, self._one(NODE, None, parts[1])),
            ("PATCH", "nodes", 2): lambda: self._patch(NODE, None, parts[1], _body(request)),
            ("DELETE", "nodes", 2): lambda: self._remove(NODE, None, parts[1]),
            ("POST", "nodes", 3): lambda: self._node_action(parts[1], parts[2], request),
            ("GET", "nodes", 3): lambda: self._kubelet(parts[1], parts[2], "GET", request),
            ("DELETE", "nodes", 3): lambda: self._kubelet(parts[1], parts[2], "DELETE", request),
            ("POST", "generate", 1): lambda: self._generate(_body(request)),
            ("POST", "objects", 1): lambda: json_response(200, seeding.seed(self.cluster, seeding.objects_of(_body(request)))),
            ("PATCH", "pods", 3): lambda: self._patch(POD, parts[1], parts[2], _body(request)),
            ("DELETE", "pods", 3): lambda: self._remove(POD, parts[1], parts[2]),
            ("POST", "namespaces", 1): lambda: self._namespace(_body(request)),
            ("GET", "requests", 1): lambda: json_response(200, {"items": self.log.entries(int(request.query.get("since") or 0))}),
            ("DELETE", "requests", 1): lambda: self._done(self.log.clear()),
            ("GET", "faults", 1): lambda: json_response(200, {"items": self.faults.pending()}),
            ("POST", "faults", 1): lambda: json_response(201, self.faults.add(_body(request)).describe()),
            ("DELETE", "faults", 1): lambda: self._done(self.faults.clear()),
            ("POST", "compact", 1): lambda: json_response(200, {"compactedRevision": str(self.store.compact())}),
            ("POST", "watch-cache", 1): lambda: json_response(200, self._watch_cache(_body(request))),
            ("POST", "reset", 1): self._reset,
        }
        handler = handlers.get(route)
        if handler is None:
            raise AdminError(404, f"no admin route {method} {PREFIX}/{'/'.join(parts)}")
        return handler()

    @staticmethod
    def _done(_result=None) -> Response:
        return json_response(200, {"ok": True})

    def _all(self, kind) -> list[dict]:
        items, _, _ = self.store.scan(kind.storage)
        return [{"kind": kind.kind, "apiVersion": kind.api_version, **s.obj} for _, s in items]

    def _state(self) -> Response:
        with self.store.lock:
            state = {
                "resourceVersion": str(self.store.revision),
                "namespaces": self._all(NAMESPACE),
                "nodes": self._all(NODE),
                "pods": self._all(POD),
                "events": self._all(CORE_EVENT),
                "leases": self._all(LEASE),
            }
        return json_response(200, state)

    def _one(self, kind, namespace: str | None, name: str) -> dict:
        stored = self.store.get(kind.storage, kind.key(namespace, name))
        if stored is None:
            raise AdminError(404, f"{kind.plural} {name!r} not found")
        return {"kind": kind.kind, "apiVersion": kind.api_version, **stored.obj}

    def _patch(self, kind, namespace: str | None, name: str, patch: object) -> Response:
        if not isinstance(patch, dict):
            raise ValueError("the patch must be a JSON object (RFC 7386 merge patch)")
        with self.store.lock:
            current = self._one(kind, namespace, name)
            new = merge_patch(current, patch)
            new = {k: v for k, v in new.items() if k not in ("kind", "apiVersion")}
            new["metadata"] = {**new.get("metadata", {}), "name": name}
            if namespace:
                new["metadata"]["namespace"] = namespace
            stored = self.store.replace(kind.storage, kind.key(namespace, name), new)
            return json_response(200, {"kind": kind.kind, "apiVersion": kind.api_version, **stored.obj})

    def _remove(self, kind, namespace: str | None, name: str) -> Response:
        if self.store.remove(kind.storage, kind.key(namespace, name)) is None:
            raise AdminError(404, f"{kind.plural} {name!r} not found")
        return self._done()

    def _clear(self, kind) -> Response:
        self.store.clear(kind.storage)
        return self._done()

    def _node_action(self, name: str, action: str, request: Request) -> Response:
        if action == "kubelet":
            return self._kubelet(name, action, "POST", request)
        if action != "ready":
            raise AdminError(404, f"no admin route POST {PREFIX}/nodes/{name}/{action}")
        return self._ready(name, _body(request))

    def _kubelet(self, name: str, action: str, method: str, request: Request) -> Response:
        if action != "kubelet":
            raise AdminError(404, f"no admin route {method} {PREFIX}/nodes/{name}/{action}")
        lifecycle = self.cluster.lifecycle
        if method == "GET":
            return json_response(200, lifecycle.describe_profile(name))
        if method == "DELETE":
            return json_response(200, lifecycle.reset_profile(name))
        return json_response(200, lifecycle.update_profile(name, _body(request)))

    def _ready(self, name: str, body: object) -> Response:
        if not isinstance(body, dict) or "ready" not in body:
            raise ValueError('send {"ready": true|false|"Unknown"}')
        status = readiness.status_value(body["ready"])
        with self.store.lock:
            node = self._one(NODE, None, name)
            new = readiness.with_ready({k: v for k, v in node.items() if k not in ("kind", "apiVersion")}, status)
            stored = self.store.replace(NODE.storage, name, new)
            return json_response(200, {"kind": "Node", "apiVersion": "v1", **stored.obj})

    def _generate(self, body: object) -> Response:
        if not isinstance(body, dict):
            raise ValueError('send {"linux": N, "windows": M}')
        nodes = nodegen.generate(
            linux=int(body.get("linux", 0)),
            windows=int(body.get("windows", 0)),
            seed=int(body.get("seed", 0)),
            windows_ready=bool(body.get("windowsReady", True)),
            windows_annotations=body.get("windowsAnnotations"),
            windows_names=body.get("windowsNames", "mixed"),
        )
        result = seeding.seed(self.cluster, nodes, NODE)
        result["names"] = [n["metadata"]["name"] for n in nodes]
        return json_response(200, result)

    def _namespace(self, body: object) -> Response:
        if not isinstance(body, dict) or not body.get("name"):
            raise ValueError('send {"name": "<namespace>"}')
        namespace = {"metadata": {"name": str(body["name"])}}
        NAMESPACE.prepare(namespace, None)
        return json_response(200, seeding.seed(self.cluster, [{"kind": "Namespace", "apiVersion": "v1", **namespace}]))

    def _watch_cache(self, body) -> dict:
        if not isinstance(body, dict) or not isinstance(body.get("lag"), bool):
            raise AdminError(400, 'expected {"lag": true|false}')
        self.cluster.watch_cache_revision = self.store.revision if body["lag"] else None
        return {"revision": str(self.cluster.watch_cache_revision) if body["lag"] else None}

    def _reset(self) -> Response:
        self.cluster.watch_cache_revision = None
        with self.store.lock:
            for kind in (NODE, POD, CORE_EVENT, LEASE, PDB):
                self.store.clear(kind.storage)
            items, _, _ = self.store.scan(NAMESPACE.storage)
            for key, _stored in items:
                if key not in SEEDED:
                    self.store.remove(NAMESPACE.storage, key)
            self.cluster.lifecycle.reset()
        self.log.clear()
        self.faults.clear()
        return self._done()


def _body(request: Request) -> object:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as err:
        raise ValueError(f"the body is not JSON: {err}") from None
