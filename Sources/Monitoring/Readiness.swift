import Synchronization

/// What `/readyz` reports: ready once every registered condition is met (for `vigilante run`: the certificate is
/// loaded and the first node sync has finished). Conditions are registered unmet and marked met once.
public final class Readiness: Sendable {
    private let conditions = Mutex<[(name: String, isMet: Bool)]>([])

    public init() {}

    public func register(_ name: String) {
        conditions.withLock { $0.append((name, false)) }
    }

    public func markMet(_ name: String) {
        conditions.withLock { list in
            if let index = list.firstIndex(where: { $0.name == name }) { list[index].isMet = true }
        }
    }

    /// The conditions not met yet; empty means ready.
    public var pending: [String] {
        conditions.withLock { $0.filter { !$0.isMet }.map(\.name) }
    }
}
