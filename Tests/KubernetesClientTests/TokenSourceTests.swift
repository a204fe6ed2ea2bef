import Foundation
import Logging
import TestSupport
import Testing

@testable import KubernetesClient

/// The token file's re-read rule on a stepping clock.
@Suite struct TokenSourceTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func tokenFile_isReread_onlyOnceTheIntervalHasPassed() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", "one\n")
        let clock = SteppingClock()
        let source = TokenSource(.file(path: file), refreshInterval: .seconds(60), clock: clock, logger: Self.logger)

        let first = source.current()
        try directory.write("token", "two\n")
        clock.advance(by: .seconds(59))
        let cached = source.current()
        clock.advance(by: .seconds(1))
        let reread = source.current()

        #expect([first, cached, reread] == ["one", "one", "two"])
    }

    @Test func afterUnauthorized_theFileIsRereadAtOnce() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", "one")
        let source = TokenSource(
            .file(path: file), refreshInterval: .seconds(60), clock: SteppingClock(), logger: Self.logger)
        _ = source.current()

        let unchanged = source.refreshAfterUnauthorized()
        try directory.write("token", "two")
        let changed = source.refreshAfterUnauthorized()

        #expect(!unchanged)
        #expect(changed)
        #expect(source.current() == "two")
    }

    @Test func aRotatedTokenWithALineBreak_isNotSent_theLastTokenIsKept() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", "one\n")
        let clock = SteppingClock()
        let source = TokenSource(.file(path: file), refreshInterval: .seconds(60), clock: clock, logger: Self.logger)
        _ = source.current()
        try directory.write("token", "two\r\nX-Injected: yes\n")
        clock.advance(by: .seconds(60))
        #expect(source.current() == "one")
    }

    @Test func unreadableFile_keepsTheLastToken() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", "kept")
        let clock = SteppingClock()
        let source = TokenSource(.file(path: file), refreshInterval: .seconds(60), clock: clock, logger: Self.logger)
        _ = source.current()

        try FileManager.default.removeItem(atPath: file)
        clock.advance(by: .seconds(120))

        #expect(source.current() == "kept")
    }

    @Test func fixedToken_neverChanges_andNoTokenIsNil() {
        let fixed = TokenSource(
            .value("fixed"), refreshInterval: .seconds(60), clock: SteppingClock(), logger: Self.logger)
        let none = TokenSource(.none, refreshInterval: .seconds(60), clock: SteppingClock(), logger: Self.logger)

        #expect(fixed.current() == "fixed")
        #expect(!fixed.refreshAfterUnauthorized())
        #expect(none.current() == nil)
    }
}
