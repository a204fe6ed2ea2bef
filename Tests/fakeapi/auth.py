"""Authentication as kube-apiserver does it: a verified client certificate (user = CN, groups = O), else a
bearer token; a token that is presented but unknown is 401 even when anonymous access would be allowed.

With neither --token, --token-file nor --client-ca given, every request is allowed as system:anonymous.
The token file is read on every request (one token per line), so a test can rotate the token by rewriting it,
as the kubelet rotates bound service-account tokens.
"""

import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    user: str
    method: str  # "x509", "token", "anonymous"
    groups: tuple = ()


class Authenticator:
    def __init__(self, tokens: list[str] | None = None, token_file: str | None = None, client_ca: bool = False):
        self.tokens = list(tokens or [])
        self.token_file = token_file
        self.client_ca = client_ca

    @property
    def enabled(self) -> bool:
        return bool(self.tokens or self.token_file or self.client_ca)

    def _valid_tokens(self) -> list[tuple[str, str]]:
        valid = [(t, f"token-user-{i}") for i, t in enumerate(self.tokens)]
        if self.token_file:
            try:
                with open(self.token_file, encoding="utf-8") as f:
                    valid += [(line.strip(), "token-file-user") for line in f if line.strip()]
            except OSError:
                pass  # an unreadable file authenticates nobody, like an empty one
        return valid

    def authenticate(self, authorization: str | None, peer_cert: dict | None) -> Identity | None:
        """The caller's identity, or None for 401."""
        if peer_cert:
            subject = {k: v for rdn in peer_cert.get("subject", ()) for k, v in rdn}
            groups = tuple(v for rdn in peer_cert.get("subject", ()) for k, v in rdn if k == "organizationName")
            return Identity(subject.get("commonName", ""), "x509", groups)
        if authorization:
            scheme, _, credential = authorization.strip().partition(" ")
            if scheme.lower() != "bearer" or not credential.strip():
                return None if self.enabled else Identity("system:anonymous", "anonymous")
            for token, user in self._valid_tokens():
                if hmac.compare_digest(token.encode(), credential.strip().encode()):
                    return Identity(user, "token")
            return None if self.enabled else Identity("system:anonymous", "anonymous")
        return None if self.enabled else Identity("system:anonymous", "anonymous")
