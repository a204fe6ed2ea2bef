"""Which state a list reads: how `resourceVersion`, `resourceVersionMatch`, `limit` and `continue` combine.

Follows the API server (k8s.io/apiserver: ValidateListOptions, the storage layer's list consistency, the
watch cache's delegation and its `computeListLimit`), and the table of "Semantics for get and list" in the
Kubernetes API concepts:

| resourceVersionMatch | resourceVersion unset | "0" | N (not 0) |
| --- | --- | --- | --- |
| unset, no limit | most recent | any (watch cache) | not older than N (watch cache) |
| unset, limit | most recent, paginated | any: the watch cache ignores the limit, one whole list | exact N, paginated |
| NotOlderThan | 422 | any: the limit is ignored | not older than N (watch cache), paginated |
| Exact | 422 | 422 | exact N, paginated |

A `continue` token reads at the revision it carries (exact), whatever the limit; with it, a resourceVersion other
than "0" is a 400, and any resourceVersionMatch a 422. The fake has one store and no lagging watch cache: "most
recent", "any" and "not older than" all read the current state, unless a test makes the watch cache lag
(/_admin/watch-cache): then "any" and "not older than" read the state at the revision it was held at, as a cache
that stopped receiving events would. "Not older than" a revision the cache has not reached waits up to 3 s for it
(the watch cache's blockTimeout), then answers 504 with the cause ResourceVersionTooLarge. An exact read of a revision the store's history no longer covers, or older than the last
compaction (/_admin/compact), is a 410 Expired.
"""

from dataclasses import dataclass

from fakeapi import continuetoken
from fakeapi.errors import ApiError, FieldError, bad_request, invalid

NOT_OLDER_THAN = "NotOlderThan"
EXACT = "Exact"
TOO_LARGE_WAIT_SECONDS = 3.0  # the watch cache's blockTimeout


@dataclass(frozen=True)
class ListRead:
    """What one list request reads: `exact` is a revision to read at (None: the current state), `at_least` a
    revision the state must have reached, `start` the key to start from, `limit` the page size (0: all);
    `cached`: the watch cache serves it ("any" and "not older than")."""

    exact: int | None
    at_least: int | None
    start: str | None
    limit: int
    cached: bool = False


def plan(query: dict, limit: int) -> ListRead:
    """The read a list request asks for, or the ApiError the API server answers for a combination it refuses."""
    version = query.get("resourceVersion") or ""
    match = query.get("resourceVersionMatch") or ""
    token = query.get("continue") or ""
    errors = []
    if match:
        if not version:
            errors.append(FieldError("Forbidden", "resourceVersionMatch", None,
                                     "resourceVersionMatch is forbidden unless resourceVersion is provided"))
        if token:
            errors.append(FieldError("Forbidden", "resourceVersionMatch", None,
                                     "resourceVersionMatch is forbidden when continue is provided"))
        if match not in (EXACT, NOT_OLDER_THAN):
            errors.append(FieldError("NotSupported", "resourceVersionMatch", match,
                                     'supported values: "Exact", "NotOlderThan", ""'))
        if match == EXACT and version == "0":
            errors.append(FieldError("Forbidden", "resourceVersionMatch", None,
                                     'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'))
    if errors:
        raise invalid("ListOptions", "", errors, "meta.k8s.io")
    revision = _parse(version)
    if token:
        if version not in ("", "0"):
            raise bad_request("specifying resource version is not allowed when using continue")
        token_revision, start = continuetoken.decode(token)
        return ListRead(exact=token_revision, at_least=None, start=start, limit=limit)
    if not version:
        return ListRead(exact=None, at_least=None, start=None, limit=limit)  # most recent
    if version == "0":
        return ListRead(exact=None, at_least=None, start=None, limit=0, cached=True)  # any: no limit from the cache
    if match == EXACT or (not match and limit > 0):
        return ListRead(exact=revision, at_least=revision, start=None, limit=limit)
    return ListRead(exact=None, at_least=revision, start=None, limit=limit, cached=True)  # not older than


def _parse(version: str) -> int:
    if version in ("", "0"):
        return 0
    if not version.isdigit():
        raise bad_request(f'invalid resource version: resourceVersion: Invalid value: "{version}": '
                          f'strconv.ParseUint: parsing "{version}": invalid syntax')
    return int(version)


def too_old() -> ApiError:
    """An exact read of a revision compacted away (etcd3 storage's answer)."""
    return ApiError(410, "Expired", "The resourceVersion for the provided list is too old.")


def too_large(wanted: int, current: int) -> ApiError:
    """A revision the state has not reached within the wait (storage.NewTooLargeResourceVersionError)."""
    details = {"causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
               "retryAfterSeconds": 1}
    return ApiError(504, "Timeout", f"Timeout: Too large resource version: {wanted}, current: {current}", details,
                    headers={"Retry-After": "1"})
