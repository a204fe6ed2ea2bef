import Glibc

/// Process-wide settings a server needs before it accepts its first connection.
public enum ProcessLimits {
    /// Raises the soft limit of open file descriptors to the hard limit (each connection holds one) and
    /// returns the new soft limit.
    @discardableResult
    public static func raiseFileDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }
}
