import Foundation
import Glibc
import TestSupport

/// The fake Kubernetes API server (`Tests/fakeapi`, Python) in a child process for one test, over HTTPS with
/// throw-away certificates from `python3 -m fakeapi.pki`. Readiness is awaited on its `--port-file`; it is
/// killed when released. Admin calls go through the `curl` command, independent of the client under test.
final class FakeAPIServer: @unchecked Sendable {
    static let testsDirectory = Fixtures.repositoryRoot.appending(path: "Tests").path
    /// The token every test client uses unless it tests tokens.
    static let token = "s3cret-token-of-the-tests"

    let directory: TemporaryDirectory
    let port: Int
    private let process: Process

    var url: String { "https://127.0.0.1:\(port)" }
    var caFile: String { directory.path("pki/ca.crt") }
    var clientCertificate: String { directory.path("pki/client.crt") }
    var clientKey: String { directory.path("pki/client.key") }

    /// Starts a fake accepting `tokens` (and client certificates of its CA), with `arguments` added.
    static func start(
        tokens: [String] = [token], tokenFile: String? = nil, arguments: [String] = []
    ) async throws -> FakeAPIServer {
        // The test process, like `vigilante`, must ignore SIGPIPE: a write to a connection the fake closed
        // (it is killed at each test's end) must fail, not end the test run.
        signal(SIGPIPE, SIG_IGN)
        let directory = try TemporaryDirectory()
        try run(["-m", "fakeapi.pki", directory.path("pki")])
        let portFile = directory.path("port")
        var flags = [
            "-m", "fakeapi", "--port", "0", "--port-file", portFile, "--cert", directory.path("pki/server.crt"),
            "--key", directory.path("pki/server.key"), "--client-ca", directory.path("pki/ca.crt"),
            "--grace-scale", "0.01",
        ]
        for token in tokens { flags += ["--token", token] }
        if let tokenFile { flags += ["--token-file", tokenFile] }
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3"] + flags + arguments
        process.currentDirectoryURL = URL(filePath: testsDirectory)
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": testsDirectory]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(filePath: directory.write("stderr", "")))
        try process.run()
        let port = try await awaitPort(portFile, process: process, stderr: directory.path("stderr"))
        return FakeAPIServer(directory: directory, port: port, process: process)
    }

    private init(directory: TemporaryDirectory, port: Int, process: Process) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    /// SIGKILL, not SIGTERM: a graceful stop waits for the client's idle keep-alive connection (the fake's server
    /// joins its connection threads), and a test's end must never hang. Waiting for the exit reaps the child and
    /// lets `Process` release itself (LeakSanitizer reports it otherwise).
    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Kills the fake and waits until it is gone, so that the next connection is refused.
    func kill() async throws {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw FakeAPIError(message: "fakeapi did not exit") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits until the port file says `ready`, with a deadline (the fake writes it atomically once it listens).
    private static func awaitPort(_ path: String, process: Process, stderr: String) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let lines = text.split(separator: "\n")
                if lines.count == 2, lines[1] == "ready", let port = Int(lines[0]) { return port }
            }
            guard process.isRunning else {
                throw FakeAPIError(
                    message: "fakeapi exited: \((try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "")")
            }
            // Only yields between checks; readiness is the file, not a guessed delay.
            try await Task.sleep(for: .milliseconds(20))
        }
        Glibc.kill(process.processIdentifier, SIGKILL)
        throw FakeAPIError(message: "fakeapi did not become ready within 60 s")
    }

    // MARK: Kubeconfig

    /// A kubeconfig from `python3 -m fakeapi.kubeconfig` (the same generator the kubectl tests of the fake use).
    func kubeconfig(
        name: String = "kubeconfig", caInline: Bool = false, ca: String? = nil, insecure: Bool = false,
        token: String? = FakeAPIServer.token, tokenFile: String? = nil, clientCertificate: Bool = false,
        certificateInline: Bool = false
    ) throws -> String {
        var arguments = ["-m", "fakeapi.kubeconfig", "--server", url]
        if insecure {
            arguments.append("--insecure")
        } else {
            arguments += ["--ca", ca ?? caFile]
        }
        if caInline { arguments.append("--ca-inline") }
        if let token { arguments += ["--token", token] }
        if let tokenFile { arguments += ["--token-file", tokenFile] }
        if clientCertificate {
            arguments += ["--client-cert", self.clientCertificate, "--client-key", clientKey]
            if certificateInline { arguments.append("--cert-inline") }
        }
        return try directory.write(name, Self.run(arguments))
    }

    // MARK: Admin API

    /// Calls `/_admin/<path>` with the `curl` command and returns the answer's body.
    @discardableResult
    func admin(_ method: String, _ path: String, json: String? = nil) throws -> Data {
        var arguments = [
            "-sS", "--fail-with-body", "--max-time", "30", "--cacert", caFile, "-X", method, "\(url)/_admin/\(path)",
        ]
        if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
        return try Self.run(arguments, executable: "/usr/bin/curl")
    }

    /// Adds a fault (see Tests/fakeapi/README.md, "Faults").
    func addFault(_ json: String) throws {
        try admin("POST", "faults", json: json)
    }

    /// The request log, oldest first.
    func requests() throws -> [LoggedRequest] {
        try JSONDecoder().decode(RequestLog.self, from: admin("GET", "requests")).items
    }

    func clearRequests() throws {
        try admin("DELETE", "requests")
    }

    /// `/_admin/state` as a JSON object.
    func state() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: admin("GET", "state")) as? [String: Any] ?? [:]
    }

    // MARK: Processes

    @discardableResult
    static func run(_ arguments: [String], executable: String = "/usr/bin/env") throws -> Data {
        let finished = try ChildProcess.run(
            URL(filePath: executable), executable == "/usr/bin/env" ? ["python3"] + arguments : arguments,
            directory: URL(filePath: testsDirectory),
            environment: ProcessInfo.processInfo.environment.merging(["PYTHONPATH": testsDirectory]) { $1 })
        guard finished.status == 0 else {
            throw FakeAPIError(
                message: "\(arguments.joined(separator: " ")) failed: \(finished.output)\(finished.errors)")
        }
        return finished.standardOutput
    }
}

struct FakeAPIError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// One entry of the fake's request log (the fields the tests read).
struct LoggedRequest: Decodable {
    var seq: Int
    var method: String
    var path: String
    /// Milliseconds since the fake started (monotonic), when the request had been read.
    var timeMs: Double
    var status: Int?
    var userAgent: String?
    var accept: String?
    var contentType: String?
    var user: String?
    var authMethod: String?
    var body: String?
}

private struct RequestLog: Decodable {
    var items: [LoggedRequest]
}
