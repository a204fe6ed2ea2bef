extension Duration {
    /// The shortest Go-style text of the duration, as Kubernetes and vigilante's configuration write durations:
    /// `30s`, `30m`, `1h30m`, `500ms`, `100us`; `0s` for zero, `-` before a negative one. Total: any duration has
    /// a text (whole seconds and microseconds are taken apart, so no count of microseconds can overflow).
    public var shortText: String {
        let (seconds, attoseconds) = components
        // The components of a negative duration are both negative (or one of them zero).
        let negative = seconds < 0 || attoseconds < 0
        var wholeSeconds = seconds.magnitude
        var microseconds = (attoseconds.magnitude + 500_000_000_000) / 1_000_000_000_000
        if microseconds == 1_000_000 {
            wholeSeconds += 1
            microseconds = 0
        }
        if wholeSeconds == 0 && microseconds == 0 { return "0s" }
        var text = negative ? "-" : ""
        for (unit, size) in [("h", UInt64(3600)), ("m", 60), ("s", 1)] where wholeSeconds >= size {
            text += "\(wholeSeconds / size)\(unit)"
            wholeSeconds %= size
        }
        for (unit, size) in [("ms", UInt64(1000)), ("us", 1)] where microseconds >= size {
            text += "\(microseconds / size)\(unit)"
            microseconds %= size
        }
        return text
    }
}
