"""`Status` error bodies, shaped as k8s.io/apimachinery/pkg/api/errors builds them.

Every failure the fake answers is an ApiError turned into a meta/v1 Status, so a client sees the same
kind/apiVersion/status/message/reason/details/code fields (and the same message wording) as from a real API
server. Messages name the resource by its plural ("pods \"x\" not found"); `details.kind` is the plural too,
except for Invalid, where it is the Kind ("Pod \"x\" is invalid: ...").
"""

from dataclasses import dataclass, field

# Reason a real server gives for each code when nothing more specific applies (StatusReason constants).
REASON_BY_CODE = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    410: "Expired",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}

# Messages of the generic errors (errors.NewGenericServerResponse wording).
MESSAGE_BY_CODE = {
    401: "Unauthorized",
    403: "forbidden",
    404: "the server could not find the requested resource",
    409: "the server reported a conflict",
    429: "Too many requests, please try again later.",
    500: "Internal error occurred: injected fault",
    502: "the server received an invalid response from an upstream server",
    503: "the server is currently unable to handle the request",
    504: "the server was unable to return a response in the time allotted, but may still be processing the request",
}


@dataclass
class FieldError:
    """One validation failure (k8s.io/apimachinery/pkg/util/validation/field.Error)."""

    kind: str  # "Required", "Invalid", "NotSupported", "Forbidden", "TooLong", "Duplicate"
    path: str
    value: object = None
    detail: str = ""

    _TYPES = {
        "Required": ("FieldValueRequired", "Required value"),
        "Invalid": ("FieldValueInvalid", "Invalid value"),
        "NotSupported": ("FieldValueNotSupported", "Unsupported value"),
        "Forbidden": ("FieldValueForbidden", "Forbidden"),
        "TooLong": ("FieldValueTooLong", "Too long"),
        "Duplicate": ("FieldValueDuplicate", "Duplicate value"),
    }

    def _body(self) -> str:
        label = self._TYPES[self.kind][1]
        text = label
        if self.kind in ("Invalid", "NotSupported", "Duplicate"):
            text += ": " + _go_quote(self.value)
        if self.detail:
            text += ": " + self.detail
        return text

    def __str__(self) -> str:
        return f"{self.path}: {self._body()}"

    def cause(self) -> dict:
        return {"reason": self._TYPES[self.kind][0], "message": self._body(), "field": self.path}


def _go_quote(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    return str(value)


class DecodeError(ValueError):
    """A body that does not decode into the kind's Go type, in the words of the API server's JSON decoder
    (sigs.k8s.io/json, metav1.MicroTime.UnmarshalJSON): the verbs wrap it as the API server's handlers do."""


@dataclass
class ApiError(Exception):
    """An error answer: HTTP code plus the Status body and any extra headers."""

    code: int
    reason: str
    message: str
    details: dict | None = None
    headers: dict = field(default_factory=dict)
    continue_token: str | None = None

    def status(self) -> dict:
        metadata = {"continue": self.continue_token} if self.continue_token else {}
        body = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": metadata,
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details:
            body["details"] = self.details
        body["code"] = self.code
        return body


def _details(resource: str, name: str, group: str) -> dict:
    d = {"name": name}
    if group:
        d["group"] = group
    d["kind"] = resource
    return d


def _qualified(resource: str, group: str) -> str:
    return f"{resource}.{group}" if group else resource


def not_found(resource: str, name: str, group: str = "") -> ApiError:
    return ApiError(404, "NotFound", f'{_qualified(resource, group)} "{name}" not found', _details(resource, name, group))


def already_exists(resource: str, name: str, group: str = "") -> ApiError:
    message = f'{_qualified(resource, group)} "{name}" already exists'
    return ApiError(409, "AlreadyExists", message, _details(resource, name, group))


def conflict(resource: str, name: str, why: str, group: str = "") -> ApiError:
    message = f'Operation cannot be fulfilled on {_qualified(resource, group)} "{name}": {why}'
    return ApiError(409, "Conflict", message, _details(resource, name, group))


def invalid(kind: str, name: str, errors: list[FieldError], group: str = "") -> ApiError:
    # A single error is printed bare, several as a Go aggregate "[a, b]" (utilerrors.NewAggregate).
    text = str(errors[0]) if len(errors) == 1 else "[" + ", ".join(str(e) for e in errors) + "]"
    qualified = f"{kind}.{group}" if group else kind
    details = {"name": name}
    if group:
        details["group"] = group
    details["kind"] = kind
    details["causes"] = [e.cause() for e in errors]
    return ApiError(422, "Invalid", f'{qualified} "{name}" is invalid: {text}', details)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized", "Unauthorized")


def method_not_allowed(method: str) -> ApiError:
    return ApiError(405, "MethodNotAllowed", f"the server does not allow this method on the requested resource ({method})")


def unsupported_media_type(content_type: str) -> ApiError:
    return ApiError(415, "UnsupportedMediaType", f'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got "{content_type}")')


def not_acceptable(accept: str) -> ApiError:
    return ApiError(406, "NotAcceptable", f'only the following media types are accepted: application/json (asked for "{accept}")')


def too_large(limit: int) -> ApiError:
    return ApiError(413, "RequestEntityTooLarge", f"Request entity too large: limit is {limit}")


def from_code(code: int, message: str | None = None, reason: str | None = None, retry_after: int | None = None) -> ApiError:
    """A generic error for an injected fault: the reason and wording a real server uses for that code."""
    err = ApiError(code, reason or REASON_BY_CODE.get(code, "Unknown"), message or MESSAGE_BY_CODE.get(code, f"injected error {code}"))
    if retry_after is not None:
        err.details = {"retryAfterSeconds": retry_after}
        err.headers["Retry-After"] = str(retry_after)
    if code == 500 and not message:
        err.details = {"causes": [{"message": "injected fault"}]}
    return err
