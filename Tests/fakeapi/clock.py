"""Time formats of the Kubernetes API.

metav1.Time is RFC 3339 with whole seconds in UTC ("2021-07-21T23:40:14Z"); metav1.MicroTime (Event.eventTime)
carries microseconds. Monotonic time is used for everything the fake measures itself (grace periods, the
request log), so a wall-clock step cannot shorten a grace period or reorder the log.
"""

import calendar
import re
import time

_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def rfc3339(epoch: float | None = None) -> str:
    """Whole-second RFC 3339 in UTC, the way metav1.Time serializes."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if epoch is None else epoch))


def rfc3339_micro(epoch: float | None = None) -> str:
    """RFC 3339 with 6 fractional digits, the way metav1.MicroTime serializes."""
    t = time.time() if epoch is None else epoch
    micros = int(round((t - int(t)) * 1_000_000)) % 1_000_000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(t))) + f".{micros:06d}Z"


def parse_rfc3339(text: str) -> float | None:
    """Epoch seconds of an RFC 3339 timestamp, or None when it is not one."""
    m = _RFC3339.match(text or "")
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    epoch = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    if m.group(7):
        epoch += float(m.group(7))
    zone = m.group(8)
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        epoch -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return epoch


def human_duration(seconds: float) -> str:
    """Age as kubectl prints it (k8s.io/apimachinery/pkg/util/duration.HumanDuration)."""
    if seconds < -1:
        return "<invalid>"
    s = int(max(seconds, 0))
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d{rest}h" if rest else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y{days}d" if days else f"{hours // 24 // 365}y"
    return f"{hours // 24 // 365}y"
