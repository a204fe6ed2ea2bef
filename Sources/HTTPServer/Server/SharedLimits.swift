import Synchronization

/// What every connection of one server shares, across its event loops: connection slots per client address, and
/// one budget of buffered request bytes, so that neither one peer nor many slow uploads can take the process.
final class SharedLimits: Sendable {
    let maxConnectionsPerClient: Int
    let maxBufferedBytes: Int
    private let connectionsByClient = Mutex<[PeerAddress: Int]>([:])
    private let bufferedBytes = Atomic<Int>(0)

    init(maxConnectionsPerClient: Int, maxBufferedBytes: Int) {
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// Takes a slot for a connection from `client`; `false` when that client holds its limit already.
    func admit(_ client: PeerAddress) -> Bool {
        connectionsByClient.withLock { counts in
            let count = counts[client, default: 0]
            guard count < maxConnectionsPerClient else { return false }
            counts[client] = count + 1
            return true
        }
    }

    /// Gives back the slot of a closed connection from `client`.
    func release(_ client: PeerAddress) {
        connectionsByClient.withLock { counts in
            let count = counts[client, default: 0]
            counts[client] = count > 1 ? count - 1 : nil
        }
    }

    /// Reserves `bytes` of the buffer budget; `false`, reserving nothing, when they do not fit.
    func reserve(_ bytes: Int) -> Bool {
        var current = bufferedBytes.load(ordering: .relaxed)
        while true {
            guard bytes <= maxBufferedBytes - current else { return false }
            let (exchanged, original) = bufferedBytes.compareExchange(
                expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    /// Returns `bytes` to the budget; the bytes still reserved by all connections afterwards.
    @discardableResult
    func giveBack(_ bytes: Int) -> Int {
        bufferedBytes.subtract(bytes, ordering: .relaxed).newValue
    }
}
