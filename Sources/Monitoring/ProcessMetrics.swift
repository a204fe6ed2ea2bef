import Foundation

/// The process metrics Prometheus users expect (the names of the Go and Java clients), read from `/proc/self`
/// at each scrape and written in the text exposition format with their proper types.
public enum ProcessMetrics {
    /// Seconds since 1970 when the process started; read once.
    private static let startTimeSeconds: Double = {
        guard let stat = statFields(), stat.count > 19, let startTicks = Double(stat[19]),
            let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
            let uptime = Double(uptimeText.split(separator: " ").first ?? "")
        else { return Date().timeIntervalSince1970 }
        let bootTime = Date().timeIntervalSince1970 - uptime
        return bootTime + startTicks / ticksPerSecond
    }()

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private static let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    /// Appends the exposition of the process metrics to `buffer`.
    public static func emit(into buffer: inout [UInt8]) {
        var text = ""
        let stat = statFields() ?? []
        if stat.count > 22, let user = Double(stat[11]), let system = Double(stat[12]) {
            text += metric(
                "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
                (user + system) / ticksPerSecond)
            if let virtual = Double(stat[20]) {
                text += metric("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtual)
            }
            if let pages = Double(stat[21]) {
                text += metric(
                    "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", pages * pageSize)
            }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            text += metric("process_open_fds", "gauge", "Number of open file descriptors.", Double(descriptors.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            text += metric(
                "process_max_fds", "gauge", "Maximum number of open file descriptors.", Double(limit.rlim_cur))
        }
        text += metric(
            "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
            startTimeSeconds)
        buffer.append(contentsOf: text.utf8)
    }

    /// Fields of `/proc/self/stat` after the command name (which may contain spaces): index 0 is the state.
    /// So utime is [11], stime [12], starttime [19], vsize [20], rss [21] (proc(5) numbers minus 3).
    private static func statFields() -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: end)...].split(separator: " ")
    }

    private static func metric(_ name: String, _ type: String, _ help: String, _ value: Double) -> String {
        let rendered = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        return "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(rendered)\n"
    }
}
