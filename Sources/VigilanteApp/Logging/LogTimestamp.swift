import Foundation
import Kubernetes

/// A point in time as log lines print it: RFC 3339 in UTC with milliseconds, `2026-11-29T06:24:49.123Z`.
public struct LogTimestamp: Sendable, Equatable, CustomStringConvertible {
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    @Sendable public static func now() -> LogTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return LogTimestamp(millisecondsSince1970: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    public var description: String {
        MicroTime(microsecondsSince1970: millisecondsSince1970 * 1000).rfc3339(fractionDigits: 3)
    }
}
