"""Name, label and annotation rules (k8s.io/apimachinery/pkg/util/validation), returning FieldErrors."""

import json
import re

from fakeapi.errors import FieldError

_DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = re.compile(rf"^{_DNS1123_LABEL}(\.{_DNS1123_LABEL})*$")
_DNS1123_LABEL_RE = re.compile(rf"^{_DNS1123_LABEL}$")
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")

SUBDOMAIN_MESSAGE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MESSAGE = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
# The whole of metadata.annotations is capped (TotalAnnotationSizeLimitB).
ANNOTATIONS_LIMIT_BYTES = 256 * 1024


def subdomain_problems(value: str) -> list[str]:
    problems = []
    if len(value) > 253:
        problems.append("must be no more than 253 characters")
    if not _DNS1123_SUBDOMAIN.match(value):
        problems.append(SUBDOMAIN_MESSAGE)
    return problems


def dns_label_problems(value: str) -> list[str]:
    problems = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not _DNS1123_LABEL_RE.match(value):
        problems.append(LABEL_MESSAGE)
    return problems


def qualified_name_problems(key: str) -> list[str]:
    """A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63."""
    prefix, sep, name = key.rpartition("/")
    problems = []
    if sep and (not prefix or subdomain_problems(prefix)):
        problems.append("prefix part " + SUBDOMAIN_MESSAGE)
    if not name:
        problems.append("name part must be non-empty")
    elif len(name) > 63:
        problems.append("name part must be no more than 63 characters")
    elif not _QUALIFIED_NAME.match(name):
        problems.append(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
            "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
            "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        )
    return problems


def label_value_problems(value: object) -> list[str]:
    if not isinstance(value, str):
        return ["must be a string"]
    problems = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not _LABEL_VALUE.match(value):
        problems.append(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
            "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
            "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        )
    return problems


def validate_metadata(meta: dict, namespaced: bool, name_rule=subdomain_problems) -> list[FieldError]:
    """ObjectMeta checks every kind shares: name, labels, annotations."""
    errors: list[FieldError] = []
    name = meta.get("name")
    if not name:
        errors.append(FieldError("Required", "metadata.name", detail="name or generateName is required"))
    elif not isinstance(name, str):
        errors.append(FieldError("Invalid", "metadata.name", name, "must be a string"))
    else:
        for problem in name_rule(name):
            errors.append(FieldError("Invalid", "metadata.name", name, problem))
    errors += validate_labels(meta.get("labels"))
    errors += validate_annotations(meta.get("annotations"))
    return errors


def validate_labels(labels: object) -> list[FieldError]:
    if labels is None:
        return []
    if not isinstance(labels, dict):
        return [FieldError("Invalid", "metadata.labels", str(labels), "must be a map of strings")]
    errors = []
    for key, value in labels.items():
        for problem in qualified_name_problems(key):
            errors.append(FieldError("Invalid", "metadata.labels", key, problem))
        for problem in label_value_problems(value):
            errors.append(FieldError("Invalid", "metadata.labels", value, problem))
    return errors


def validate_annotations(annotations: object) -> list[FieldError]:
    if annotations is None:
        return []
    if not isinstance(annotations, dict):
        return [FieldError("Invalid", "metadata.annotations", str(annotations), "must be a map of strings")]
    errors = []
    for key, value in annotations.items():
        for problem in qualified_name_problems(key.lower()):
            errors.append(FieldError("Invalid", "metadata.annotations", key, problem))
        if not isinstance(value, str):
            errors.append(FieldError("Invalid", f"metadata.annotations[{key}]", json.dumps(value), "must be a string"))
    size = sum(len(k) + len(v) for k, v in annotations.items() if isinstance(v, str))
    if size > ANNOTATIONS_LIMIT_BYTES:
        errors.append(FieldError("TooLong", "metadata.annotations", detail=f"may not be more than {ANNOTATIONS_LIMIT_BYTES} bytes"))
    return errors
