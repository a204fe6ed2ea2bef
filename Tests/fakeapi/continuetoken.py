"""Opaque `continue` tokens for paginated lists.

The real server (k8s.io/apiserver/pkg/storage) encodes {"v":"meta.k8s.io/v1","rv":<list revision>,"start":<next
key>} as unpadded URL-safe base64; clients must treat it as opaque. The fake uses the same layout so a token
looks like a real one, and validates it as the server does: a token it cannot decode is a 400, a token older
than the last compaction (see /_admin/compact) is a 410 Expired.
"""

import base64
import binascii
import json

from fakeapi.errors import ApiError, bad_request

_VERSION = "meta.k8s.io/v1"


def encode(rv: int, start_key: str) -> str:
    raw = json.dumps({"v": _VERSION, "rv": rv, "start": start_key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode(token: str) -> tuple[int, str]:
    """(revision, start key) of a token, or a 400 Status for anything the fake did not issue."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(data, dict) or data.get("v") != _VERSION:
            raise ValueError("unknown version")
        rv, start = data["rv"], data["start"]
        if not isinstance(rv, int) or rv <= 0 or not isinstance(start, str):
            raise ValueError("bad fields")
        return rv, start
    except (ValueError, KeyError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise bad_request(f"continue key is not valid: {err}") from None


def expired(rv: int, start_key: str) -> ApiError:
    """410 Expired as etcd3 storage answers for a compacted revision, with an inconsistent continue token."""
    message = (
        "The provided continue parameter is too old to display a consistent list result. You can start a new "
        "list without the continue parameter, or use the continue token in this response to retrieve the "
        "remainder of the results. Continuing with the provided token results in an inconsistent list - objects "
        "that were created, modified, or deleted between the time the first chunk was returned and now may show "
        "up in the list."
    )
    return ApiError(410, "Expired", message, continue_token=encode(rv, start_key))
