"""Namespaces: only existence matters (a pod in a missing namespace is a 404, NamespaceLifecycle admission)."""

from fakeapi.kinds import Column, Kind, meta_field
from fakeapi.nodes import AGE_DESCRIPTION, NAME_DESCRIPTION, age
from fakeapi.validation import dns_label_problems, validate_metadata

SEEDED = ("default", "kube-system", "kube-public", "kube-node-lease")


def prepare(namespace: dict, _nodes) -> None:
    namespace.setdefault("spec", {"finalizers": ["kubernetes"]})
    namespace["status"] = {"phase": "Active"}
    labels = namespace["metadata"].setdefault("labels", {})
    labels.setdefault("kubernetes.io/metadata.name", namespace["metadata"]["name"])


NAMESPACE = Kind(
    plural="namespaces",
    singular="namespace",
    kind="Namespace",
    namespaced=False,
    short_names=("ns",),
    verbs=("create", "get", "list", "patch"),
    fields={"metadata.name": meta_field("name"), "status.phase": lambda n: str(n.get("status", {}).get("phase") or "")},
    columns=(
        Column("Name", format="name", description=NAME_DESCRIPTION),
        Column("Status", description="The status of the namespace"),
        Column("Age", description=AGE_DESCRIPTION),
    ),
    row=lambda ns, now: [ns["metadata"]["name"], ns.get("status", {}).get("phase", ""), age(ns, now)],
    validate=lambda ns: validate_metadata(ns.get("metadata", {}), namespaced=False, name_rule=dns_label_problems),
    prepare=prepare,
)
