public import Logging
import Synchronization

/// Keeps the server's TLS context in step with the certificate files on disk.
///
/// The files are read (following symlinks, so a Secret's `..data` swap is seen) every few seconds and compared
/// by content with the pair in use. A changed, valid pair becomes the context for new connections at once; open
/// connections finish on the old one. A changed pair that is invalid (unreadable, mismatched, too weak) is
/// refused, logged and counted once, and the old pair kept. The first read happens in `init` and its failure
/// is fatal: a server must not start without a certificate.
public final class CertificateReloader: Sendable {
    /// Reports for metrics: each successful load (with the new leaf's notAfter) and each refusal.
    public struct Observer: Sendable {
        public var loaded: @Sendable (_ notAfterSeconds: Int64) -> Void
        public var refused: @Sendable (TLSError) -> Void

        public init(
            loaded: @escaping @Sendable (Int64) -> Void = { _ in },
            refused: @escaping @Sendable (TLSError) -> Void = { _ in }
        ) {
            self.loaded = loaded
            self.refused = refused
        }
    }

    public enum Outcome: Sendable, Equatable {
        case unchanged
        case reloaded
        case refused
    }

    private struct State {
        var context: TLSContext
        var pair: CertificatePair
        /// The last pair refused, so that a bad pair left on disk is reported once, not at every check.
        var refusedPair: CertificatePair?
    }

    public let certificateFile: String
    public let keyFile: String
    public let clientCAFile: String?
    private let observer: Observer
    private let logger: Logger
    private let state: Mutex<State>

    public init(
        certificateFile: String, keyFile: String, clientCAFile: String? = nil, observer: Observer = Observer(),
        logger: Logger
    ) throws(TLSError) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        self.observer = observer
        self.logger = logger
        let pair = try CertificatePair.read(certificateFile: certificateFile, keyFile: keyFile)
        let context = try TLSContext(
            certificateFile: certificateFile, keyFile: keyFile, clientCAFile: clientCAFile, pair: pair)
        state = Mutex(State(context: context, pair: pair))
        observer.loaded(context.notAfter)
    }

    /// The context new connections use.
    public var current: TLSContext { state.withLock { $0.context } }

    /// Reads the files once and swaps the context when they changed and are valid.
    @discardableResult
    public func checkForChange() -> Outcome {
        let pair: CertificatePair
        do {
            pair = try CertificatePair.read(certificateFile: certificateFile, keyFile: keyFile)
        } catch {
            return refuse(nil, error)
        }
        let isKnown = state.withLock { $0.pair == pair || $0.refusedPair == pair }
        if isKnown { return .unchanged }
        do {
            let context = try TLSContext(pair: pair, clientCAFile: clientCAFile)
            state.withLock { $0 = State(context: context, pair: pair) }
            observer.loaded(context.notAfter)
            logger.info(
                "Loaded a new TLS certificate; new connections use it",
                metadata: ["cert_file": "\(certificateFile)", "not_after": "\(context.notAfter)"])
            return .reloaded
        } catch {
            return refuse(pair, error)
        }
    }

    /// Checks every `interval` until the task is cancelled.
    public func run(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            checkForChange()
        }
    }

    private func refuse(_ pair: CertificatePair?, _ error: TLSError) -> Outcome {
        let isNew = state.withLock { state in
            // An unreadable file (mid-rotation) is reported once until something readable appears.
            let marker = pair ?? CertificatePair(certificatePEM: [], keyPEM: [])
            guard state.refusedPair != marker else { return false }
            state.refusedPair = marker
            return true
        }
        if isNew {
            observer.refused(error)
            logger.error(
                "Refused the changed TLS certificate; still serving the previous one",
                metadata: ["cert_file": "\(certificateFile)", "key_file": "\(keyFile)", "error": "\(error)"])
        }
        return isNew ? .refused : .unchanged
    }
}
