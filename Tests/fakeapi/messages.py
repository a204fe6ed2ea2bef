"""Request and response values passed between the HTTP handler and the API/admin routers."""

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from fakeapi.errors import ApiError


@dataclass
class Request:
    method: str
    target: str  # path and query exactly as sent
    path: str
    query: dict[str, str]  # first value of each parameter
    headers: object  # email.message.Message: case-insensitive .get()
    body: bytes = b""
    user: str | None = None
    peer_cert: dict | None = None

    @classmethod
    def parse(cls, method: str, target: str, headers, body: bytes, peer_cert: dict | None = None) -> "Request":
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        return cls(method, target, parts.path or "/", query, headers, body, None, peer_cert)

    def json(self) -> object:
        """The body as JSON, or a 400 Status as the real server answers undecodable bodies."""
        try:
            return json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError) as err:
            raise ApiError(400, "BadRequest", f"couldn't get version/kind; json parse error: {err}") from None


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)


def json_response(status: int, obj: object, content_type: str = "application/json") -> Response:
    return Response(status, json.dumps(obj, separators=(",", ":")).encode(), content_type)


def error_response(err: ApiError) -> Response:
    response = json_response(err.code, err.status())
    response.headers.update(err.headers)
    return response


def text_response(status: int, text: str) -> Response:
    return Response(status, text.encode(), "text/plain; charset=utf-8")
