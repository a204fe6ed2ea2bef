import Foundation
import HTTPServer
import Logging
import Synchronization
import TestSupport
import Testing

/// The reloader against files on disk, named after what happens to them.
@Suite struct CertificateReloaderTests {
    let certificates: TestCertificates
    let logger = Logger(label: "test")

    init() throws {
        certificates = try TestCertificates()
    }

    /// Counts what the reloader reports.
    final class Reports: Sendable {
        let loaded = Atomic<Int>(0)
        let refused = Atomic<Int>(0)
        var observer: CertificateReloader.Observer {
            CertificateReloader.Observer(
                loaded: { _ in self.loaded.add(1, ordering: .relaxed) },
                refused: { _ in self.refused.add(1, ordering: .relaxed) })
        }
    }

    /// A reloader watching `live.crt` and `live.key`, copies of the given pair that a test then replaces.
    private func reloaderOnLiveCopies(
        of certificate: String, _ key: String
    ) throws -> (live: String, liveKey: String, reports: Reports, reloader: CertificateReloader) {
        let live = certificates.directory.path("live.crt")
        let liveKey = certificates.directory.path("live.key")
        try copy(certificate, to: live)
        try copy(key, to: liveKey)
        let reports = Reports()
        let reloader = try CertificateReloader(
            certificateFile: live, keyFile: liveKey, observer: reports.observer, logger: logger)
        return (live, liveKey, reports, reloader)
    }

    private func copy(_ source: String, to destination: String) throws {
        let data = try Data(contentsOf: URL(filePath: source))
        try data.write(to: URL(filePath: destination), options: .atomic)
    }

    @Test func unchangedFiles_keepTheContext() throws {
        let (certificate, key) = try certificates.issue("a")
        let reloader = try CertificateReloader(certificateFile: certificate, keyFile: key, logger: logger)
        let before = reloader.current
        #expect(reloader.checkForChange() == .unchanged)
        #expect(reloader.current === before)
    }

    @Test func changedFiles_swapInTheNewPair() throws {
        let (first, firstKey) = try certificates.issue("a")
        let (second, secondKey) = try certificates.issue("b", days: 2)
        let (live, liveKey, reports, reloader) = try reloaderOnLiveCopies(of: first, firstKey)
        let before = reloader.current

        try copy(second, to: live)
        try copy(secondKey, to: liveKey)

        #expect(reloader.checkForChange() == .reloaded)
        #expect(reloader.current !== before)
        #expect(reloader.current.notAfter > before.notAfter)
        #expect(reports.loaded.load(ordering: .relaxed) == 2)
    }

    @Test func mismatchedNewPair_isRefusedOnce_andTheOldOneKept() throws {
        let (first, firstKey) = try certificates.issue("a")
        let (second, _) = try certificates.issue("b")
        let (live, _, reports, reloader) = try reloaderOnLiveCopies(of: first, firstKey)
        let before = reloader.current

        try copy(second, to: live)  // the key stays the first one's

        #expect(reloader.checkForChange() == .refused)
        #expect(reloader.checkForChange() == .unchanged, "the same bad pair is reported once")
        #expect(reloader.current === before)
        #expect(reports.refused.load(ordering: .relaxed) == 1)
    }

    @Test func rotationToAnEncryptedKey_isRefused_andALaterValidPairLoads() throws {
        let (first, firstKey) = try certificates.issue("a")
        let (second, secondKey) = try certificates.issue("b")
        let (live, liveKey, reports, reloader) = try reloaderOnLiveCopies(of: first, firstKey)
        let before = reloader.current

        try copy(second, to: live)
        try TestCertificates.openssl(["pkey", "-aes256", "-in", secondKey, "-out", liveKey, "-passout", "pass:x"])
        #expect(reloader.checkForChange() == .refused)
        #expect(reloader.current === before)

        try copy(secondKey, to: liveKey)
        #expect(reloader.checkForChange() == .reloaded)
        #expect(reports.refused.load(ordering: .relaxed) == 1)
        #expect(reports.loaded.load(ordering: .relaxed) == 2)
    }

    @Test func secretStyleSymlinkSwap_isSeen() throws {
        let (first, firstKey) = try certificates.issue("a")
        let (second, secondKey) = try certificates.issue("b", days: 2)
        let root = certificates.directory.url.appending(path: "secret")
        let manager = FileManager.default
        for (version, (certificate, key)) in [("..v1", (first, firstKey)), ("..v2", (second, secondKey))] {
            try manager.createDirectory(at: root.appending(path: version), withIntermediateDirectories: true)
            try copy(certificate, to: root.appending(path: "\(version)/tls.crt").path)
            try copy(key, to: root.appending(path: "\(version)/tls.key").path)
        }
        try manager.createSymbolicLink(atPath: root.appending(path: "..data").path, withDestinationPath: "..v1")
        try manager.createSymbolicLink(
            atPath: root.appending(path: "tls.crt").path, withDestinationPath: "..data/tls.crt")
        try manager.createSymbolicLink(
            atPath: root.appending(path: "tls.key").path, withDestinationPath: "..data/tls.key")
        let reloader = try CertificateReloader(
            certificateFile: root.appending(path: "tls.crt").path, keyFile: root.appending(path: "tls.key").path,
            logger: logger)
        let before = reloader.current.notAfter

        // Kubernetes points a new link at the new version and renames it over ..data, atomically.
        try manager.createSymbolicLink(atPath: root.appending(path: "..data_tmp").path, withDestinationPath: "..v2")
        #expect(rename(root.appending(path: "..data_tmp").path, root.appending(path: "..data").path) == 0)

        #expect(reloader.checkForChange() == .reloaded)
        #expect(reloader.current.notAfter > before)
    }

    @Test func filesRemoved_keepTheOldPair() throws {
        let (first, firstKey) = try certificates.issue("a")
        let live = certificates.directory.path("live.crt")
        try copy(first, to: live)
        let reports = Reports()
        let reloader = try CertificateReloader(
            certificateFile: live, keyFile: firstKey, observer: reports.observer, logger: logger)
        try FileManager.default.removeItem(atPath: live)
        #expect(reloader.checkForChange() == .refused)
        #expect(reports.refused.load(ordering: .relaxed) == 1)
        #expect(reloader.current.notAfter > 0)
    }
}
