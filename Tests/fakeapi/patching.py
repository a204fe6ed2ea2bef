"""The three PATCH formats of the API: JSON merge patch (RFC 7386), strategic merge patch, JSON patch (RFC 6902).

All functions return new objects and never modify their inputs: stored objects share sub-structures (the node
generator reuses one image list for a whole pool), so copy-on-write keeps a patch of one node from changing
another.
"""

import copy

# Strategic merge patch merges these lists element by element on the named key (the patchMergeKey struct tags
# of k8s.io/api/core/v1); other lists are replaced whole, as with a merge patch.
_MERGE_KEYS = {
    "metadata.ownerReferences": "uid",
    "spec.containers": "name",
    "spec.initContainers": "name",
    "spec.ephemeralContainers": "name",
    "spec.containers[].env": "name",
    "spec.containers[].ports": "containerPort",
    "spec.containers[].volumeMounts": "mountPath",
    "spec.volumes": "name",
    "spec.taints": "key",
    "spec.imagePullSecrets": "name",
    "status.conditions": "type",
    "status.addresses": "type",
}
# Lists of scalars that strategic merge patch unions instead of replacing (patchStrategy "merge").
_MERGE_SCALAR_LISTS = {"metadata.finalizers"}


class PatchError(Exception):
    """A patch that cannot be applied; the caller maps it to 400 or 422 as the real server does."""


def merge_patch(target: object, patch: object) -> object:
    """RFC 7386 §2: objects merge recursively, null deletes a member, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target: object, patch: object, path: str = "") -> object:
    """Merge patch plus list merging by key for the fields above; $-directives are honoured or dropped."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if patch.get("$patch") == "delete":
        return None
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        # $setElementOrder, $retainKeys and $deleteFromPrimitiveList only order or prune; the order of
        # our lists does not matter to any client, so they are accepted and ignored.
        if key.startswith("$"):
            continue
        child_path = f"{path}.{key}" if path else key
        if value is None:
            result.pop(key, None)
        elif isinstance(value, list) and child_path in _MERGE_KEYS:
            result[key] = _merge_list(result.get(key), value, child_path)
        elif isinstance(value, list) and child_path in _MERGE_SCALAR_LISTS:
            merged = list(result.get(key) or [])
            merged += [v for v in value if v not in merged]
            result[key] = merged
        else:
            merged = strategic_merge_patch(result.get(key), value, child_path)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
    return result


def _merge_list(current: object, patch: list, path: str) -> list:
    key = _MERGE_KEYS[path]
    merged = list(current) if isinstance(current, list) else []
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            raise PatchError(f"map: {item} does not contain declared merge key: {key}")
        index = next((i for i, old in enumerate(merged) if isinstance(old, dict) and old.get(key) == item[key]), None)
        if item.get("$patch") == "delete":
            if index is not None:
                merged.pop(index)
        elif index is None:
            merged.append(strategic_merge_patch({}, item, path + "[]"))
        else:
            merged[index] = strategic_merge_patch(merged[index], item, path + "[]")
    return merged


def json_patch(target: object, operations: object) -> object:
    """RFC 6902 add/remove/replace/move/copy/test over RFC 6901 pointers."""
    if not isinstance(operations, list):
        raise PatchError("json patch must be an array of operations")
    doc = copy.deepcopy(target)
    for op in operations:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise PatchError(f"invalid operation {op!r}: needs op and path")
        kind, path = op["op"], op["path"]
        if kind == "add":
            doc = _put(doc, path, copy.deepcopy(_need(op, "value")), insert=True)
        elif kind == "remove":
            doc, _ = _take(doc, path)
        elif kind == "replace":
            _get(doc, path)
            doc = _put(doc, path, copy.deepcopy(_need(op, "value")), insert=False)
        elif kind == "move":
            doc, value = _take(doc, _need(op, "from"))
            doc = _put(doc, path, value, insert=True)
        elif kind == "copy":
            doc = _put(doc, path, copy.deepcopy(_get(doc, _need(op, "from"))), insert=True)
        elif kind == "test":
            if _get(doc, path) != _need(op, "value"):
                raise PatchError(f"testing value {path} failed")
        else:
            raise PatchError(f"unexpected operation {kind!r}")
    return doc


def _need(op: dict, name: str) -> object:
    if name not in op:
        raise PatchError(f"operation {op.get('op')!r} lacks {name!r}")
    return op[name]


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"invalid JSON pointer {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _index(container: list, token: str, allow_end: bool) -> int:
    if token == "-" and allow_end:
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise PatchError(f"invalid array index {token!r}")
    i = int(token)
    if i > len(container) or (i == len(container) and not allow_end):
        raise PatchError(f"array index {i} out of bounds")
    return i


def _get(doc: object, pointer: str) -> object:
    for token in _tokens(pointer):
        if isinstance(doc, dict):
            if token not in doc:
                raise PatchError(f"path {pointer!r} does not exist")
            doc = doc[token]
        elif isinstance(doc, list):
            doc = doc[_index(doc, token, allow_end=False)]
        else:
            raise PatchError(f"path {pointer!r} does not exist")
    return doc


def _put(doc: object, pointer: str, value: object, insert: bool) -> object:
    tokens = _tokens(pointer)
    if not tokens:
        return value
    parent = _get(doc, "/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens[:-1])) if len(tokens) > 1 else doc
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        i = _index(parent, last, allow_end=insert)
        if insert:
            parent.insert(i, value)
        else:
            parent[i] = value
    else:
        raise PatchError(f"path {pointer!r} has no parent object")
    return doc


def _take(doc: object, pointer: str) -> tuple[object, object]:
    tokens = _tokens(pointer)
    if not tokens:
        raise PatchError("cannot remove the whole document")
    value = _get(doc, pointer)
    parent = _get(doc, "/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens[:-1])) if len(tokens) > 1 else doc
    if isinstance(parent, dict):
        del parent[tokens[-1]]
    else:
        parent.pop(_index(parent, tokens[-1], allow_end=False))
    return doc, value
