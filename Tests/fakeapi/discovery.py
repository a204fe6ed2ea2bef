"""Discovery documents kubectl and client libraries read before any call: /api, /apis, /api/v1, /apis/<g>/<v>,
/version.

Only the legacy (unaggregated) discovery is served. kubectl 1.26+ first asks for aggregated discovery
(`as=APIGroupDiscoveryList`) but lists plain application/json as a fallback, and a plain answer makes
client-go use the legacy documents. Verbs list only what the fake implements, so tools do not try the rest.
"""

import hashlib

from fakeapi.registry import GROUP_VERSIONS, kinds_of


def _storage_version_hash(kind) -> str:
    return hashlib.sha256(f"{kind.api_version}/{kind.kind}".encode()).digest()[:8].hex()


def root_paths() -> dict:
    """GET /: every path the server serves at its top (sorted, as the real server lists them)."""
    paths = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v3", "/readyz", "/version"]
    for group, version in GROUP_VERSIONS.items():
        if group:
            paths += [f"/apis/{group}", f"/apis/{group}/{version}"]
    return {"paths": sorted(paths)}


def api_versions(server_address: str) -> dict:
    return {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]}


def _group(name: str) -> dict:
    gv = {"groupVersion": f"{name}/{GROUP_VERSIONS[name]}", "version": GROUP_VERSIONS[name]}
    return {"name": name, "versions": [gv], "preferredVersion": gv}


def api_group_list() -> dict:
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group(g) for g in GROUP_VERSIONS if g]}


def api_group(name: str) -> dict | None:
    if not name or name not in GROUP_VERSIONS:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(name)}


def resource_list(group: str, version: str) -> dict | None:
    kinds = kinds_of(group, version)
    if not kinds:
        return None
    resources = []
    for k in kinds:
        entry = {"name": k.plural, "singularName": k.singular, "namespaced": k.namespaced, "kind": k.kind, "verbs": list(k.verbs)}
        if k.short_names:
            entry["shortNames"] = list(k.short_names)
        if k.categories:
            entry["categories"] = list(k.categories)
        entry["storageVersionHash"] = _storage_version_hash(k)
        resources.append(entry)
        if k.kind == "Pod" and not k.group:
            resources.append({"name": "pods/eviction", "singularName": "", "namespaced": True, "group": "policy",
                              "version": "v1", "kind": "Eviction", "verbs": ["create"]})
        if k.has_status:
            resources.append({"name": f"{k.plural}/status", "singularName": "", "namespaced": k.namespaced, "kind": k.kind, "verbs": ["get", "patch"]})
    group_version = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}


def version_info(git_version: str) -> dict:
    major, minor = git_version.lstrip("v").split(".")[:2]
    return {
        "major": major,
        "minor": minor,
        "gitVersion": git_version,
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2025-01-01T00:00:00Z",
        "goVersion": "go1.23.8",
        "compiler": "gc",
        "platform": "linux/amd64",
    }
