"""Routing of Kubernetes API paths to discovery documents and to the verbs of Cluster, and the encoding of
their answers (plain JSON, Table or PartialObjectMetadata).

Paths: /api/v1/<plural>[/<name>[/status]], /api/v1/namespaces/<ns>/<plural>[/<name>[/status]], and the same
under /apis/<group>/<version>/. Unknown paths and resources are 404 Status answers.
"""

import json

from fakeapi import discovery, negotiation, openapi, registry, tables
from fakeapi.cluster import Cluster, ListResult, view
from fakeapi.errors import ApiError, bad_request, method_not_allowed
from fakeapi.kinds import Kind
from fakeapi.messages import Request, Response, json_response, text_response
from fakeapi.watch import Watch

_HEALTH_PATHS = ("/healthz", "/livez", "/readyz")


def _not_found() -> ApiError:
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


class KubernetesApi:
    def __init__(self, cluster: Cluster, kube_version: str, server_address):
        self.cluster = cluster
        self.kube_version = kube_version
        self.server_address = server_address  # callable: "host:port" for /api

    @staticmethod
    def is_public(path: str) -> bool:
        """Health endpoints answer without credentials, as kube-apiserver's do for probes."""
        return path in _HEALTH_PATHS

    def handle(self, request: Request) -> Response | Watch:
        path = request.path.rstrip("/") or "/"
        if path in _HEALTH_PATHS:
            return text_response(200, "ok")
        segments = [s for s in path.split("/") if s]
        document = self._discovery(segments)
        if document is not None:
            if request.method not in ("GET", "HEAD"):
                raise method_not_allowed(request.method)
            return json_response(200, document)
        if segments[:2] == ["api", "v1"]:
            return self._resource(request, "", "v1", segments[2:])
        if len(segments) >= 3 and segments[0] == "apis":
            return self._resource(request, segments[1], segments[2], segments[3:])
        raise _not_found()

    def _discovery(self, segments: list[str]) -> dict | None:
        if segments == []:
            return discovery.root_paths()
        if segments == ["version"]:
            return discovery.version_info(self.kube_version)
        if segments == ["api"]:
            return discovery.api_versions(self.server_address())
        if segments == ["api", "v1"]:
            return discovery.resource_list("", "v1")
        if segments == ["apis"]:
            return discovery.api_group_list()
        if segments == ["openapi", "v3"]:
            return openapi.root()
        if segments[:2] == ["openapi", "v3"]:
            document = openapi.document("/".join(segments[2:]))
            if document is None:
                raise _not_found()
            return document
        document = None
        if len(segments) == 2 and segments[0] == "apis":
            document = discovery.api_group(segments[1])
        elif len(segments) == 3 and segments[0] == "apis":
            document = discovery.resource_list(segments[1], segments[2])
        else:
            return None
        if document is None:
            raise _not_found()
        return document

    # --- resources -------------------------------------------------------------------------------------
    def _resource(self, request: Request, group: str, version: str, rest: list[str]) -> Response:
        namespace = None
        # /namespaces/<ns>/<plural>/... is a namespaced path; /namespaces/<name>[/status] is the Namespace itself.
        if len(rest) >= 3 and rest[0] == "namespaces" and not (len(rest) == 3 and rest[2] in ("status", "finalize")):
            namespace, rest = rest[1], rest[2:]
        if not rest or len(rest) > 3:
            raise _not_found()
        kind = registry.lookup(group, version, rest[0])
        if kind is None or (namespace is not None and not kind.namespaced):
            raise _not_found()
        name = rest[1] if len(rest) > 1 else None
        subresource = rest[2] if len(rest) > 2 else None
        if subresource is not None and not (subresource == "status" and kind.has_status) and \
                not (subresource == "eviction" and kind.kind == "Pod" and not kind.group):
            raise _not_found()
        if name is not None and kind.namespaced and namespace is None:
            raise _not_found()
        dry_run = _dry_run(request.query)
        if name is None:
            return self._collection(request, kind, namespace, dry_run)
        return self._item(request, kind, namespace, name, subresource, dry_run)

    def _collection(self, request: Request, kind: Kind, namespace: str | None, dry_run: bool) -> Response:
        if request.method in ("GET", "HEAD"):
            if request.query.get("watch") in ("true", "1"):
                return Watch(self.cluster, kind, namespace, request.query)
            representation = negotiation.choose(request.headers.get("Accept"))
            return self._list_answer(kind, self.cluster.list(kind, namespace, request.query), representation, request.query)
        if request.method == "POST":
            if kind.namespaced and namespace is None:
                raise method_not_allowed(request.method)
            _require_json(request)
            return json_response(201, self.cluster.create(kind, namespace, request.json(), dry_run))
        raise method_not_allowed(request.method)

    def _item(self, request: Request, kind: Kind, namespace: str | None, name: str, subresource: str | None, dry_run: bool) -> Response:
        if request.method in ("GET", "HEAD"):
            representation = negotiation.choose(request.headers.get("Accept"))
            return self._object_answer(kind, self.cluster.get(kind, namespace, name), representation, request.query)
        if request.method == "PATCH":
            content_type = request.headers.get("Content-Type") or ""
            return json_response(200, self.cluster.patch(kind, namespace, name, content_type, request.body, subresource, dry_run))
        if request.method == "DELETE" and subresource is None:
            return json_response(200, self.cluster.delete(kind, namespace, name, _delete_options(request), dry_run))
        if subresource == "eviction":
            if request.method != "POST":
                raise method_not_allowed(request.method)
            _require_json(request)
            return json_response(201, self.cluster.evict(namespace, name, request.json(), dry_run))
        if request.method == "PUT" and subresource is None and "update" in kind.verbs:
            _require_json(request)
            code, obj = self.cluster.update(kind, namespace, name, request.json(), dry_run)
            return json_response(code, obj)
        raise method_not_allowed(request.method)

    # --- encodings -------------------------------------------------------------------------------------
    def _list_answer(self, kind: Kind, result: ListResult, representation, query: dict) -> Response:
        meta = {"resourceVersion": str(result.revision)}
        if result.continue_token:
            meta["continue"] = result.continue_token
        if result.remaining is not None:
            meta["remainingItemCount"] = result.remaining
        if representation.form == "json" and not kind.is_converted:
            # Fast path: join the cached JSON of each item.
            head = json.dumps({"kind": kind.list_kind, "apiVersion": kind.api_version, "metadata": meta}, separators=(",", ":")).encode()
            body = head[:-1] + b',"items":[' + b",".join(s.json_bytes() for s in result.items) + b"]}"
            return Response(200, body)
        objects = [kind.to_view(s.obj) for s in result.items]
        if representation.form == "table":
            return _typed(tables.table(kind, objects, meta, representation.api_version, query.get("includeObject")), "Table", representation)
        if representation.form == "partial":
            return _typed(tables.partial_list(objects, meta, representation.api_version), "PartialObjectMetadataList", representation)
        return json_response(200, {"kind": kind.list_kind, "apiVersion": kind.api_version, "metadata": meta, "items": objects})

    def _object_answer(self, kind: Kind, stored, representation, query: dict) -> Response:
        if representation.form == "table":
            meta = {"resourceVersion": stored.obj["metadata"].get("resourceVersion", "")}
            return _typed(tables.table(kind, [kind.to_view(stored.obj)], meta, representation.api_version, query.get("includeObject")), "Table", representation)
        if representation.form == "partial":
            return _typed(tables.partial(kind.to_view(stored.obj), representation.api_version), "PartialObjectMetadata", representation)
        if not kind.is_converted:
            head = f'{{"kind":"{kind.kind}","apiVersion":"{kind.api_version}",'.encode()
            return Response(200, head + stored.json_bytes()[1:])
        return json_response(200, view(kind, stored))


def _typed(document: dict, as_kind: str, representation) -> Response:
    group, version = representation.api_version.split("/")
    return json_response(200, document, f"application/json;as={as_kind};v={version};g={group}")


def _dry_run(query: dict) -> bool:
    value = query.get("dryRun")
    if value in (None, ""):
        return False
    if value != "All":
        raise bad_request(f'dryRun: Unsupported value: "{value}": supported values: "All"')
    return True


def _require_json(request: Request) -> None:
    media = (request.headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()
    if media not in ("application/json", "*/*", ""):
        raise ApiError(415, "UnsupportedMediaType", f'the body of the request was in an unknown format - accepted media types include: application/json (got "{media}")')


def _delete_options(request: Request) -> dict:
    """DeleteOptions from the query, overridden by a DeleteOptions body (kubectl and client-go send a body)."""
    options: dict = {}
    raw = request.query.get("gracePeriodSeconds")
    if raw not in (None, ""):
        try:
            options["gracePeriodSeconds"] = int(raw)
        except ValueError:
            raise bad_request(f'invalid value for gracePeriodSeconds: "{raw}"') from None
    if request.query.get("propagationPolicy"):
        options["propagationPolicy"] = request.query["propagationPolicy"]
    if request.body.strip():
        body = request.json()
        if not isinstance(body, dict):
            raise bad_request("DeleteOptions must be a JSON object")
        options.update({k: v for k, v in body.items() if v is not None and k not in ("kind", "apiVersion")})
    grace = options.get("gracePeriodSeconds")
    if grace is not None and not isinstance(grace, int):
        raise bad_request("gracePeriodSeconds must be an integer")
    return options
