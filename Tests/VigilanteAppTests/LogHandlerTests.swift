import Foundation
import Logging
import Synchronization
import Testing
import VigilanteApp

@Suite struct LogHandlerTests {
    /// A logger writing into memory at a fixed time.
    private func logger(_ format: LogFormat, level: Logger.Level = .info) -> (Logger, () -> [String]) {
        let lines = Mutex<[String]>([])
        let output = LogOutput { line in lines.withLock { $0.append(line) } }
        let handler = VigilanteLogHandler(
            label: "test", format: format, level: level, output: output,
            clock: { LogTimestamp(millisecondsSince1970: 1_795_933_489_123) })
        return (Logger(label: "test") { _ in handler }, { lines.withLock { $0 } })
    }

    @Test func textLine_hasTimeLevelMessageAndSortedMetadata() {
        let (log, lines) = logger(.text)
        log.info("Healing started", metadata: ["node": "akswin000003", "attempt": "2", "reason": "two words"])
        #expect(
            lines() == [
                "2026-11-29T06:24:49.123Z info Healing started attempt=2 node=akswin000003 reason=\"two words\"\n"
            ])
    }

    /// A node name or error from the API server or a client must not drive the terminal that shows the log: ESC
    /// (colours, cursor moves, title changes), BEL, BS, NUL, CR and C1 controls are escaped, as JSON escapes them.
    @Test func textLine_escapesControlCharacters_inValuesAndMessages() {
        let (log, lines) = logger(.text)
        let hostile = "aks\u{1B}[2J\u{1B}]0;pwned\u{07}\u{08}\u{08}\u{0}x\r\u{9B}31m"
        log.info("Node \(hostile) seen", metadata: ["node": "\(hostile)"])
        let line = lines().first ?? ""
        #expect(!line.dropLast().unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(
            line.hasSuffix(
                #"info Node aks\u001b[2J\u001b]0;pwned\u0007\u0008\u0008\u0000x\r\u009b31m seen "#
                    + #"node="aks\u001b[2J\u001b]0;pwned\u0007\u0008\u0008\u0000x\r\u009b31m""# + "\n"), "\(line)")
    }

    @Test func jsonLine_isOneObjectWithRFC3339MillisecondTime() throws {
        let (log, lines) = logger(.json)
        log.warning(
            "Probe pod \"x\" failed\nretrying", metadata: ["node": "akswin000003", "nested": ["a": ["1", "2"]]])
        #expect(lines().count == 1)
        let line = try #require(lines().first)
        #expect(line.hasSuffix("}\n") && !line.dropLast().contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2026-11-29T06:24:49.123Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["message"] as? String == "Probe pod \"x\" failed\nretrying")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["node"] as? String == "akswin000003")
        #expect((metadata["nested"] as? [String: Any])?["a"] as? [String] == ["1", "2"])
    }

    @Test func eventsBelowTheLevel_areNotWritten() {
        let (log, lines) = logger(.text, level: .warning)
        log.info("quiet")
        log.error("loud")
        #expect(lines().count == 1)
    }

    @Test(arguments: [LogFormat.text, .json])
    func secrets_areNeverWritten(format: LogFormat) {
        var (log, lines) = logger(format)
        log[metadataKey: "bearer"] = "abc.def.ghi"
        log.info(
            "calling the API",
            metadata: [
                "token": "s3cr3t-token", "Authorization": "Bearer s3cr3t-token", "client-key-data": "LS0tLS1CRUdJTi",
                "nested": ["password": "hunter2"], "key_file": "/etc/vigilante/certs/tls.key",
            ])
        let text = lines().joined()
        for secret in ["s3cr3t-token", "LS0tLS1CRUdJTi", "hunter2", "abc.def.ghi"] {
            #expect(!text.contains(secret), "\(secret) leaked in \(text)")
        }
        #expect(text.contains("/etc/vigilante/certs/tls.key"), "a key file's path is not a secret")
    }
}
