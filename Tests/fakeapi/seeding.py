"""Putting objects into the cluster directly, bypassing API validation: for --seed files and the admin side.

Objects carry their own kind/apiVersion (Node when absent). An object that exists is replaced (keeping its uid
and creationTimestamp unless the new one sets them), else created; either way it gets a new resourceVersion.
"""

import json

from fakeapi import registry
from fakeapi.clock import rfc3339
from fakeapi.cluster import Cluster
from fakeapi.kinds import Kind
from fakeapi.nodes import NODE


def objects_of(document: object) -> list[dict]:
    """A list of objects from a JSON array, a *List with items, or a single object."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        default_kind = str(document.get("kind", "")).removesuffix("List") or None
        items = []
        for item in document["items"]:
            if isinstance(item, dict) and default_kind and "kind" not in item:
                item = {"kind": default_kind, "apiVersion": document.get("apiVersion", "v1"), **item}
            items.append(item)
        return items
    if isinstance(document, dict):
        return [document]
    raise ValueError("expected a JSON object, an array of objects or a List with items")


def kind_of(obj: dict, default: Kind = NODE) -> Kind:
    if "kind" not in obj:
        return default
    kind = registry.by_kind_name(obj["kind"], obj.get("apiVersion", "v1"))
    if kind is None:
        raise ValueError(f"cannot seed kind {obj.get('kind')!r} apiVersion {obj.get('apiVersion')!r}")
    return kind


def seed(cluster: Cluster, objects: list[dict], default: Kind = NODE) -> dict:
    created = updated = 0
    store = cluster.store
    with store.lock:
        for raw in objects:
            if not isinstance(raw, dict) or not isinstance(raw.get("metadata"), dict) or not raw["metadata"].get("name"):
                raise ValueError("every seeded object needs metadata.name")
            kind = kind_of(raw, default)
            obj = kind.from_view({k: v for k, v in raw.items() if k not in ("kind", "apiVersion")})
            meta = obj["metadata"] = dict(obj["metadata"])
            namespace = meta.get("namespace") or ("default" if kind.namespaced else None)
            if kind.namespaced:
                meta["namespace"] = namespace
            key = kind.key(namespace, meta["name"])
            old = store.get(kind.storage, key)
            if old is not None:
                meta.setdefault("uid", old.obj["metadata"]["uid"])
                meta.setdefault("creationTimestamp", old.obj["metadata"]["creationTimestamp"])
                store.replace(kind.storage, key, obj)
                updated += 1
            else:
                meta.setdefault("creationTimestamp", rfc3339())
                store.create(kind.storage, key, obj)
                created += 1
    return {"created": created, "updated": updated}


def seed_file(cluster: Cluster, path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return seed(cluster, objects_of(json.load(f)))
