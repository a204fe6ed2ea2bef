extension Duration {
    /// The shortest Go-style text of the duration, as Kubernetes and vigilante's configuration write durations:
    /// `30s`, `30m`, `1h30m`, `500ms`, `100us`; `0s` for zero.
    public var shortText: String {
        var microseconds = Int64((self / .microseconds(1)).rounded())
        if microseconds == 0 { return "0s" }
        var text = ""
        let units = [("h", Int64(3_600_000_000)), ("m", 60_000_000), ("s", 1_000_000), ("ms", 1000), ("us", 1)]
        for (unit, size) in units where microseconds >= size {
            text += "\(microseconds / size)\(unit)"
            microseconds %= size
        }
        return text
    }
}
