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


# --- metav1.MicroTime as the API server decodes it -------------------------------------------------------------
# MicroTime.UnmarshalJSON is Go's time.Parse(RFC3339Micro, s): exactly six fractional digits, 'T' and 'Z' in
# upper case, a one- or two-digit hour, a numeric offset "+hh:mm". Anything else is refused with time.Parse's
# ParseError, whose words the API server passes on in its 400.
MICRO_LAYOUT = "2006-01-02T15:04:05.000000Z07:00"
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _go_quote(text: str) -> str:
    """time's own quote(): "..." with \\ and " escaped, bytes of control or non-ASCII characters as \\xNN."""
    out = ['"']
    for ch in text:
        if ch < " " or ord(ch) >= 0x80:
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    out.append('"')
    return "".join(out)


class GoTimeParseError(ValueError):
    """time.ParseError: its str() is Go's Error() text."""

    def __init__(self, value: str, layout_elem: str, value_elem: str, message: str = ""):
        if message:
            text = f"parsing time {_go_quote(value)}{message}"
        else:
            text = (f"parsing time {_go_quote(value)} as {_go_quote(MICRO_LAYOUT)}: cannot parse "
                    f"{_go_quote(value_elem)} as {_go_quote(layout_elem)}")
        super().__init__(text)


def _getnum(s: str, fixed: bool) -> tuple[int, str] | None:
    if not s[:1].isdigit() or not s[:1].isascii():
        return None
    if not (s[1:2].isdigit() and s[1:2].isascii()):
        return None if fixed else (int(s[0]), s[1:])
    return int(s[:2]), s[2:]


def _atoi(s: str) -> int | None:
    """Go's time.atoi: an optional sign, then only ASCII digits (none at all is 0)."""
    negative = s[:1] == "-"
    if s[:1] in ("-", "+"):
        s = s[1:]
    if s and not (s.isascii() and s.isdigit()):
        return None
    value = int(s) if s else 0
    return -value if negative else value


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (any year, 0 included)."""
    year -= month <= 2
    era = year // 400  # floor division: the proleptic calendar before year 0 too
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def parse_micro_time(value: str) -> str:
    """The MicroTime in `value` as the API server stores and answers it (UTC, six digits, "Z"), or
    GoTimeParseError with time.Parse's message for the layout "2006-01-02T15:04:05.000000Z07:00"."""
    rest = value

    def literal(char: str) -> None:
        nonlocal rest
        if not rest.startswith(char):
            raise GoTimeParseError(value, char, rest)
        rest = rest[1:]

    def number(layout_elem: str, fixed: bool, low: int, high: int, what: str) -> int:
        nonlocal rest
        got = _getnum(rest, fixed)
        if got is None:
            raise GoTimeParseError(value, layout_elem, rest)
        number_value, rest = got
        if what and not low <= number_value <= high:
            raise GoTimeParseError(value, layout_elem, rest, f": {what} out of range")
        return number_value

    if len(rest) < 4 or not (rest[0].isascii() and rest[0].isdigit()) or _atoi(rest[:4]) is None:
        raise GoTimeParseError(value, "2006", rest)
    year, rest = int(rest[:4]), rest[4:]
    literal("-")
    month = number("01", True, 1, 12, "month")
    literal("-")
    day = number("02", True, 0, 99, "")
    literal("T")
    hour = number("15", False, 0, 23, "hour")
    literal(":")
    minute = number("04", True, 0, 59, "minute")
    literal(":")
    second = number("05", True, 0, 59, "second")
    # ".000000": exactly six digits after a period or a comma.
    if len(rest) < 7 or rest[0] not in ".,":
        raise GoTimeParseError(value, ".000000", rest)
    micros = _atoi(rest[1:7])
    if micros is None:
        raise GoTimeParseError(value, ".000000", rest)
    if micros < 0:
        raise GoTimeParseError(value, ".000000", rest[7:], ": fractional second out of range")
    rest = rest[7:]
    # "Z07:00": Z, or a sign and hh:mm.
    offset = 0
    if rest.startswith("Z"):
        rest = rest[1:]
    else:
        hold = rest
        if len(rest) < 6 or rest[3] != ":":
            raise GoTimeParseError(value, "Z07:00", hold)
        sign, hours, minutes, rest = rest[0], _getnum(rest[1:3], True), _getnum(rest[4:6], True), rest[6:]
        if hours is None or minutes is None:
            raise GoTimeParseError(value, "Z07:00", hold)
        if hours[0] > 24:
            raise GoTimeParseError(value, "Z07:00", rest, ": time zone offset hour out of range")
        if minutes[0] > 60:
            raise GoTimeParseError(value, "Z07:00", rest, ": time zone offset minute out of range")
        if sign not in "+-":
            raise GoTimeParseError(value, "Z07:00", hold)
        offset = (hours[0] * 60 + minutes[0]) * 60 * (-1 if sign == "-" else 1)
    if rest:
        raise GoTimeParseError(value, "", rest, f": extra text: {_go_quote(rest)}")
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day < 1 or day > _DAYS_IN_MONTH[month - 1] + (1 if month == 2 and leap else 0):
        raise GoTimeParseError(value, "", rest, ": day out of range")
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    days, clock_seconds = divmod(seconds, 86400)
    y, m, d = _civil_from_days(days)
    year_text = ("-" if y < 0 else "") + f"{abs(y):04d}"  # Go's appendInt(b, year, 4)
    return (f"{year_text}-{m:02d}-{d:02d}T{clock_seconds // 3600:02d}:{clock_seconds // 60 % 60:02d}:"
            f"{clock_seconds % 60:02d}.{micros:06d}Z")
