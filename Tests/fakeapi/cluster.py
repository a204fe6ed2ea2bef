"""The API verbs over the store: create, get, list, patch, update (PUT), delete, with the checks and answers of the
real generic registry (k8s.io/apiserver/pkg/registry/generic/registry/store.go) in the same order: decoding (400),
namespace existence (404), validation (422), name taken (409), preconditions (409)."""

import json
import secrets
import time
import uuid
from dataclasses import dataclass

from fakeapi import continuetoken, listversions, patching, readiness
from fakeapi.disruption import PDB, blocked, budget_status, eviction_body, selects
from fakeapi.clock import rfc3339
from fakeapi.errors import ApiError, DecodeError, FieldError, already_exists, bad_request, conflict, invalid, not_found, unsupported_media_type
from fakeapi.kinds import Kind
from fakeapi.lifecycle import PodLifecycle
from fakeapi.namespaces import NAMESPACE, SEEDED
from fakeapi.nodes import NODE
from fakeapi.pods import POD
from fakeapi.selection import parse_field_selector, parse_label_selector
from fakeapi.store import Store, Stored
from fakeapi.validation import validate_annotations, validate_labels

# Fields only the server sets; a client's values are dropped on create and kept from the old object on patch.
_SERVER_OWNED = ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generation")
PATCH_TYPES = {"application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json"}
# Characters of names made from generateName (k8s.io/apimachinery/pkg/util/rand: no vowels, no look-alikes).
_GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


@dataclass
class ListResult:
    items: list[Stored]
    revision: int
    continue_token: str | None
    remaining: int | None


def with_type(kind: Kind, obj: dict) -> dict:
    """The object as a single-object answer: kind and apiVersion first, then the rest."""
    return {"kind": kind.kind, "apiVersion": kind.api_version, **obj}


def view(kind: Kind, stored: Stored) -> dict:
    return with_type(kind, kind.to_view(stored.obj))


class Cluster:
    def __init__(self, store: Store, sandbox_delay_ms: int = 0):
        self.store = store
        # The revision a lagging watch cache is held at (/_admin/watch-cache); None: the cache is current.
        self.watch_cache_revision: int | None = None
        # The node lifecycle controller's taints come with every write of a node (readiness.py).
        store.normalizers[NODE.storage] = readiness.with_controller_taints
        # The scheduler and the kubelets (lifecycle.py): bind pods, report their sandbox, write their Events.
        self.lifecycle = PodLifecycle(self, sandbox_delay_ms)
        for name in SEEDED:
            self.store.create(NAMESPACE.storage, name, self._new_namespace(name))

    @staticmethod
    def _new_namespace(name: str) -> dict:
        ns = {"metadata": {"name": name}}
        NAMESPACE.prepare(ns, None)
        return ns

    def nodes(self) -> list[dict]:
        items, _, _ = self.store.scan(NODE.storage)
        return [s.obj for _, s in items]

    def namespace_exists(self, name: str) -> bool:
        return self.store.get(NAMESPACE.storage, name) is not None

    # --- create ----------------------------------------------------------------------------------------
    def create(self, kind: Kind, namespace: str | None, obj: dict, dry_run: bool = False) -> dict:
        obj = self._typed_body(kind, obj)
        self._decode(kind, obj)
        meta = obj["metadata"]
        if kind.namespaced:
            if meta.get("namespace") and meta["namespace"] != namespace:
                raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        for name in _SERVER_OWNED:
            meta.pop(name, None)
        obj = kind.from_view(obj)
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = str(meta["generateName"]) + "".join(secrets.choice(_GENERATE_ALPHABET) for _ in range(5))
        with self.store.lock:
            # NamespaceLifecycle admission runs before validation, so a missing namespace wins over a bad body.
            if kind.namespaced and not self.namespace_exists(namespace):
                raise not_found("namespaces", namespace)
            if kind.prepare_for_write is not None:
                kind.prepare_for_write(obj, None)
            errors = kind.validate(obj)
            if errors:
                raise invalid(kind.kind, str(meta.get("name") or ""), errors, kind.group)
            key = kind.key(namespace, meta["name"])
            if self.store.get(kind.storage, key) is not None:
                raise already_exists(kind.plural, meta["name"], kind.group)
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = rfc3339()
            if kind.prepare is not None:
                kind.prepare(obj, self.nodes)
            admission = self.lifecycle.admit(obj) if kind is POD else None
            if dry_run:
                return with_type(kind, kind.to_view(obj))
            stored = self.store.create(kind.storage, key, obj)
            if admission is not None:
                self.lifecycle.created(stored.obj, admission)
            return view(kind, stored)

    def _typed_body(self, kind: Kind, obj: object) -> dict:
        if not isinstance(obj, dict):
            raise bad_request(f"the object provided is unrecognized (must be of type {kind.kind})")
        obj = dict(obj)
        sent_kind, sent_version = obj.pop("kind", kind.kind), obj.pop("apiVersion", kind.api_version)
        if sent_version != kind.api_version:
            raise bad_request(f"the API version in the data ({sent_version}) does not match the expected API version ({kind.api_version})")
        if sent_kind != kind.kind:
            raise bad_request(f"the kind in the data ({sent_kind}) does not match the expected kind ({kind.kind})")
        meta = obj.get("metadata") or {}
        if not isinstance(meta, dict):
            raise bad_request("metadata must be an object")
        obj["metadata"] = dict(meta)
        return obj

    @staticmethod
    def _decode(kind: Kind, obj: dict) -> None:
        """The body read into the kind's Go type: a mismatch is the 400 of the API server's create and update
        handlers (transformDecodeError)."""
        if kind.decode is None:
            return
        try:
            kind.decode(obj)
        except DecodeError as err:
            raise bad_request(f'{kind.kind} in version "{kind.version}" cannot be handled as a {kind.kind}: {err}') from None

    # --- get / list ------------------------------------------------------------------------------------
    def get(self, kind: Kind, namespace: str | None, name: str) -> Stored:
        stored = self.store.get(kind.storage, kind.key(namespace, name))
        if stored is None:
            raise not_found(kind.plural, name, kind.group)
        return stored

    def list(self, kind: Kind, namespace: str | None, query: dict) -> ListResult:
        """A list as the API server answers it: selectors, then the state and page that resourceVersion,
        resourceVersionMatch, limit and continue ask for (listversions.py)."""
        labels = parse_label_selector(query.get("labelSelector"))
        fields = parse_field_selector(query.get("fieldSelector"), kind.fields)
        limit = _int_param(query, "limit", 0)
        def selected(obj: dict) -> bool:
            return labels.matches(obj.get("metadata", {}).get("labels")) and fields.matches(obj, kind.fields)

        match = None if labels.is_empty and fields.is_empty else selected
        read = listversions.plan(query, limit)
        if read.at_least is not None and read.at_least > self._served_revision(read):
            self._wait_for_revision(read.at_least, read)
        area, prefix = kind.storage, kind.prefix(namespace)
        with self.store.lock:
            if read.exact is not None:
                revision = read.exact
                scanned = None if self.store.is_compacted(revision) else self.store.scan_at(
                    revision, area, prefix, read.start, match, read.limit)
                if scanned is None:
                    if read.start is not None:
                        raise continuetoken.expired(self.store.revision, read.start)
                    raise listversions.too_old()
            else:
                revision = self._served_revision(read)
                scanned = self.store.scan_at(revision, area, prefix, read.start, match, read.limit)
                if scanned is None:  # a lagging cache older than the store's history: it is current again
                    self.watch_cache_revision = None
                    revision = self.store.revision
                    scanned = self.store.scan(area, prefix, read.start, match, read.limit)
            items, more, remaining = scanned
        limit = read.limit
        next_token = None
        if limit > 0 and more and items:
            next_token = continuetoken.encode(revision, items[-1][0] + "\x00")
        # remainingItemCount is only known (and only sent) when nothing was filtered out.
        count = remaining if next_token and match is None else None
        return ListResult([s for _, s in items], revision, next_token, count)

    def _served_revision(self, read: listversions.ListRead) -> int:
        """The revision a read that is not exact is served at: a lagging watch cache's for the reads it serves."""
        if read.cached and self.watch_cache_revision is not None:
            return self.watch_cache_revision
        return self.store.revision

    def _wait_for_revision(self, wanted: int, read: listversions.ListRead) -> None:
        """A read of a revision not reached yet: wait for writes (a lagging cache never gets them), then 504
        TooLarge."""
        deadline = time.monotonic() + listversions.TOO_LARGE_WAIT_SECONDS
        while (current := self._served_revision(read)) < wanted:
            left = deadline - time.monotonic()
            if left <= 0:
                raise listversions.too_large(wanted, current)
            self.store.wait_for_change(left)

    # --- patch -----------------------------------------------------------------------------------------
    def patch(self, kind: Kind, namespace: str | None, name: str, content_type: str, body: bytes, subresource: str | None = None, dry_run: bool = False) -> dict:
        media = content_type.split(";")[0].strip().lower()
        if media not in PATCH_TYPES:
            raise unsupported_media_type(content_type)
        try:
            document = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError) as err:
            raise bad_request(f"error decoding patch: {err}") from None
        if media != "application/json-patch+json" and not isinstance(document, dict):
            raise bad_request(f"error decoding patch: a {media} patch must be a JSON object")
        with self.store.lock:
            stored = self.get(kind, namespace, name)
            current = view(kind, stored)
            try:
                if media == "application/merge-patch+json":
                    patched = patching.merge_patch(current, document)
                elif media == "application/strategic-merge-patch+json":
                    patched = patching.strategic_merge_patch(current, document)
                else:
                    patched = patching.json_patch(current, document)
            except patching.PatchError as err:
                raise ApiError(422, "Invalid", str(err)) from None
            if kind.decode is not None and isinstance(patched, dict):
                try:
                    kind.decode(patched)
                except DecodeError as err:
                    # The patcher decodes its result itself: an Invalid of the field "patch" with no kind or name.
                    cause = FieldError("Invalid", "patch", json.dumps(patched, separators=(",", ":")), str(err))
                    raise ApiError(422, "Invalid", f' "" is invalid: {cause}', {"causes": [cause.cause()]}) from None
            new = self._checked_update(kind, stored.obj, patched, name, namespace, subresource)
            if new == stored.obj:
                return current  # a no-op patch does not take a new resourceVersion
            if dry_run:
                return with_type(kind, kind.to_view(new))
            return view(kind, self.store.replace(kind.storage, kind.key(namespace, name), new))

    def _checked_update(self, kind: Kind, old: dict, patched: object, name: str, namespace: str | None, subresource: str | None) -> dict:
        if not isinstance(patched, dict) or not isinstance(patched.get("metadata"), dict):
            raise bad_request("the patched object is not a valid object")
        if patched.get("kind") != kind.kind or patched.get("apiVersion") != kind.api_version:
            raise bad_request("a patch may not change kind or apiVersion")
        new = kind.from_view({k: v for k, v in patched.items() if k not in ("kind", "apiVersion")})
        meta, old_meta = dict(new["metadata"]), old["metadata"]
        if meta.get("name") != name:
            raise bad_request(f"the name of the object ({meta.get('name')}) does not match the name on the URL ({name})")
        if kind.namespaced and meta.get("namespace") != namespace:
            raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
        # A uid or resourceVersion in the result is a precondition (optimistic concurrency).
        if meta.get("uid") and meta["uid"] != old_meta.get("uid"):
            raise conflict(kind.plural, name, f"Precondition failed: UID in precondition: {meta['uid']}, UID in object meta: {old_meta.get('uid')}", kind.group)
        if meta.get("resourceVersion") and meta["resourceVersion"] != old_meta.get("resourceVersion"):
            raise conflict(kind.plural, name, "the object has been modified; please apply your changes to the latest version and try again", kind.group)
        for field in _SERVER_OWNED:
            if field in old_meta:
                meta[field] = old_meta[field]
            else:
                meta.pop(field, None)
        new["metadata"] = meta
        if subresource == "status":
            new = {**old, "status": new.get("status")} if "status" in new else {k: v for k, v in old.items() if k != "status"}
        elif kind.has_status:
            # The main resource ignores status changes; only the status subresource writes them.
            new = {k: v for k, v in new.items() if k != "status"}
            if "status" in old:
                new["status"] = old["status"]
        if kind.prepare_for_write is not None:
            kind.prepare_for_write(new, old)
        errors: list[FieldError] = validate_labels(meta.get("labels")) + validate_annotations(meta.get("annotations"))
        errors += kind.validate_update(old, new)
        if errors:
            raise invalid(kind.kind, name, errors, kind.group)
        return new

    # --- update (PUT) ----------------------------------------------------------------------------------
    def update(self, kind: Kind, namespace: str | None, name: str, body: object, dry_run: bool = False) -> tuple[int, dict]:
        """PUT, as the API server's update handler and the generic registry's Store.Update answer it: the body is
        decoded (400), its name and namespace must be the URL's (400); a metadata.uid in it is a precondition
        (409 when it is not the stored object's, also when there is none); a missing object is created (201) when
        the kind allows create on update, whatever resourceVersion the body carries, else 404; an existing one
        needs the stored resourceVersion (409 when stale; 422 when absent, unless the kind allows unconditional
        updates) and is replaced (200). A PUT that changes nothing keeps the resourceVersion."""
        obj = self._typed_body(kind, body)
        self._decode(kind, obj)
        meta = obj["metadata"]
        # checkName (endpoints/handlers/rest.go)
        if meta.get("name") != name:
            raise bad_request(f"the name of the object ({meta.get('name') or ''}) does not match the name on the URL ({name})")
        if kind.namespaced:
            if meta.get("namespace") and meta["namespace"] != namespace:
                raise bad_request(f"the namespace of the object ({meta['namespace']}) does not match the namespace "
                                  f"on the request ({namespace})")
            meta["namespace"] = namespace
        with self.store.lock:
            stored = self.store.get(kind.storage, kind.key(namespace, name))
            stored_uid = stored.obj["metadata"].get("uid", "") if stored is not None else ""
            if meta.get("uid") and meta["uid"] != stored_uid:
                # storage.Preconditions{UID} (rest.DefaultUpdatedObjectInfo), checked against the stored object, or
                # an empty one when there is none: a StorageError that InterpretUpdateError makes a Conflict.
                key = f"/registry/{kind.plural}/" + (f"{namespace}/{name}" if kind.namespaced else name)
                raise conflict(kind.plural, name, f"StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, "
                                                  f"AdditionalErrorMsg: Precondition failed: UID in precondition: "
                                                  f"{meta['uid']}, UID in object meta: {stored_uid}", kind.group)
            if stored is None:
                if not kind.allow_create_on_update:
                    raise not_found(kind.plural, name, kind.group)
                # The create flow: the resourceVersion sent is ignored (the storage clears it before writing).
                return 201, self.create(kind, namespace, {**obj, "kind": kind.kind, "apiVersion": kind.api_version}, dry_run)
            if not meta.get("resourceVersion"):
                if not kind.allow_unconditional_update:
                    # Store.Update names the resource, not the kind, in this Invalid.
                    raise invalid(kind.plural, name, [FieldError("Invalid", "metadata.resourceVersion", 0,
                                                                 "must be specified for an update")], kind.group)
                meta["resourceVersion"] = stored.obj["metadata"].get("resourceVersion")
            new = self._checked_update(kind, stored.obj, {**obj, "kind": kind.kind, "apiVersion": kind.api_version},
                                       name, namespace, None)
            if new == stored.obj:
                return 200, view(kind, stored)  # a no-op update does not take a new resourceVersion
            if dry_run:
                return 200, with_type(kind, kind.to_view(new))
            return 200, view(kind, self.store.replace(kind.storage, kind.key(namespace, name), new))

    # --- eviction (pods/eviction) ------------------------------------------------------------------------
    def evict(self, namespace: str, name: str, body: object, dry_run: bool = False) -> dict:
        """Deletes the pod unless the PodDisruptionBudget selecting it allows no disruption (429)."""
        options = eviction_body(body, namespace, name)
        with self.store.lock:
            pod = self.get(POD, namespace, name).obj
            phase = (pod.get("status") or {}).get("phase")
            # A pod that is not running, or already going, cannot count as healthy: no budget protects it.
            if phase not in ("Pending", "Succeeded", "Failed") and not pod["metadata"].get("deletionTimestamp"):
                budgets = [s.obj for _, s in self.store.scan(PDB.storage, PDB.prefix(namespace))[0] if selects(s.obj, pod)]
                if len(budgets) > 1:
                    raise ApiError(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the "
                                                         "eviction subresource does not support.")
                if budgets:
                    pods = [s.obj for _, s in self.store.scan(POD.storage, POD.prefix(namespace))[0]]
                    status = budget_status(budgets[0], pods)
                    if status["disruptionsAllowed"] <= 0:
                        raise blocked(budgets[0], status)
            self.delete(POD, namespace, name, options, dry_run)
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}

    # --- delete ----------------------------------------------------------------------------------------
    def delete(self, kind: Kind, namespace: str | None, name: str, options: dict, dry_run: bool = False) -> dict:
        with self.store.lock:
            stored = self.get(kind, namespace, name)
            meta = stored.obj["metadata"]
            preconditions = options.get("preconditions") or {}
            if preconditions.get("uid") and preconditions["uid"] != meta.get("uid"):
                raise conflict(kind.plural, name, f"Precondition failed: UID in precondition: {preconditions['uid']}, UID in object meta: {meta.get('uid')}", kind.group)
            if preconditions.get("resourceVersion") and preconditions["resourceVersion"] != meta.get("resourceVersion"):
                raise conflict(kind.plural, name, f"Precondition failed: ResourceVersion in precondition: {preconditions['resourceVersion']}, ResourceVersion in object meta: {meta.get('resourceVersion')}", kind.group)
            grace = kind.grace_seconds(stored.obj, options) if kind.grace_seconds else 0
            key = kind.key(namespace, name)
            if grace <= 0:
                if not dry_run:
                    self.store.remove(kind.storage, key)
                return self._deleted_answer(kind, stored.obj)
            if meta.get("deletionTimestamp") and grace >= int(meta.get("deletionGracePeriodSeconds", grace)):
                return view(kind, stored)  # already terminating sooner than this request asks
            new = dict(stored.obj)
            new["metadata"] = {**meta, "deletionTimestamp": rfc3339(time.time() + grace), "deletionGracePeriodSeconds": grace}
            if dry_run:
                return with_type(kind, kind.to_view(new))
            stored = self.store.replace(kind.storage, key, new)
            self.store.remove_after(kind.storage, key, grace)
            return view(kind, stored)

    @staticmethod
    def _deleted_answer(kind: Kind, obj: dict) -> dict:
        if kind.returns_deleted_object:
            return with_type(kind, kind.to_view(obj))
        details = {"name": obj["metadata"]["name"]}
        if kind.group:
            details["group"] = kind.group
        details["kind"] = kind.plural
        details["uid"] = obj["metadata"].get("uid", "")
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}


def _int_param(query: dict, name: str, default: int) -> int:
    raw = query.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f'invalid value for {name}: strconv.ParseInt: parsing "{raw}": invalid syntax') from None
