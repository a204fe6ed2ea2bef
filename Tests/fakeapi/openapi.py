"""A minimal OpenAPI v3 description, just enough for kubectl's field-validation check.

kubectl create/apply (default --validate=strict) first asks whether the server validates fields itself: it reads
/openapi/v3 (a map of group-versions to documents) and, in the group-version's document, looks for a PATCH
operation tagged with the object's x-kubernetes-group-version-kind that accepts a `fieldValidation` query
parameter (k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go). If so it sends fieldValidation=Strict
and skips client-side schema validation, which would need the whole schema. The fake accepts the parameter
but, having no schemas, does not reject unknown fields.
"""

import hashlib

from fakeapi.registry import GROUP_VERSIONS, kinds_of

_FIELD_VALIDATION = {
    "name": "fieldValidation",
    "in": "query",
    "description": "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.",
    "schema": {"type": "string", "uniqueItems": True},
}


def _path_key(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def root() -> dict:
    paths = {}
    for group, version in GROUP_VERSIONS.items():
        key = _path_key(group, version)
        digest = hashlib.sha256(key.encode()).hexdigest()[:32].upper()
        paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash={digest}"}
    return {"paths": paths}


def document(path: str) -> dict | None:
    """The document of one group-version ("api/v1", "apis/events.k8s.io/v1"), or None."""
    for group, version in GROUP_VERSIONS.items():
        if _path_key(group, version) != path:
            continue
        prefix = "/" + path
        paths = {}
        for kind in kinds_of(group, version):
            item = f"{prefix}/namespaces/{{namespace}}/{kind.plural}/{{name}}" if kind.namespaced else f"{prefix}/{kind.plural}/{{name}}"
            gvk = {"group": group, "version": version, "kind": kind.kind}
            paths[item] = {
                "patch": {
                    "operationId": f"patch{kind.kind}",
                    "parameters": [_FIELD_VALIDATION],
                    "responses": {"200": {"description": "OK"}},
                    "x-kubernetes-action": "patch",
                    "x-kubernetes-group-version-kind": gvk,
                }
            }
        return {"openapi": "3.0.0", "info": {"title": "Kubernetes (fakeapi)", "version": "v1"}, "paths": paths, "components": {}}
    return None
