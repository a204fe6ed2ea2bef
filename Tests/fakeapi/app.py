"""Wiring of one fake API server: state, routers, authentication, faults and the request log."""

from dataclasses import dataclass, field

from fakeapi.admin import PREFIX, Admin
from fakeapi.api import KubernetesApi
from fakeapi.auth import Authenticator
from fakeapi.cluster import Cluster
from fakeapi.errors import ApiError, unauthorized
from fakeapi.faults import FaultBook
from fakeapi.messages import Request, error_response
from fakeapi.requestlog import RequestLog
from fakeapi.store import Store

# kube-apiserver refuses request bodies over 3 MiB (MaxRequestBodyBytes).
MAX_BODY_BYTES = 3 * 1024 * 1024


@dataclass
class Settings:
    grace_scale: float = 1.0
    kube_version: str = "v1.32.4"
    tokens: list = field(default_factory=list)
    token_file: str | None = None
    client_ca: bool = False
    admin_token: str | None = None
    log_capacity: int = 100_000
    sandbox_delay_ms: int = 0


class App:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.address = "127.0.0.1:0"  # set once the listener is bound
        self.store = Store(grace_scale=settings.grace_scale)
        self.cluster = Cluster(self.store, settings.sandbox_delay_ms)
        self.log = RequestLog(settings.log_capacity)
        self.faults = FaultBook()
        self.auth = Authenticator(settings.tokens, settings.token_file, settings.client_ca)
        self.api = KubernetesApi(self.cluster, settings.kube_version, lambda: self.address)
        self.admin = Admin(self.cluster, self.log, self.faults, settings.admin_token)

    @staticmethod
    def is_admin(path: str) -> bool:
        return path == PREFIX or path.startswith(PREFIX + "/")

    def serve_api(self, request: Request, entry: dict):
        """Authenticate, then route; every failure is a Status answer. A watch returns a Watch to stream."""
        try:
            if not self.api.is_public(request.path):
                identity = self.auth.authenticate(request.headers.get("Authorization"), request.peer_cert)
                if identity is None:
                    raise unauthorized()
                entry["user"], entry["authMethod"] = identity.user, identity.method
                request.user = identity.user
            return self.api.handle(request)
        except ApiError as err:
            return error_response(err)
