import Foundation
import TestSupport
import Testing

/// `vigilante nodes` (the operator command the benchmark runs) against the fake API server: the built binary,
/// run as an operator would.
@Suite(.serialized) struct NodesCommandTests {
    /// `VIGILANTE_BIN` if set, else the `vigilante` built next to the test bundle.
    static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["VIGILANTE_BIN"] { return path }
        var directory = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = directory.appending(path: "vigilante").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let binary = try #require(binary, "the vigilante binary is not built (swift build --build-tests builds it)")
        let process = Process()
        process.executableURL = URL(filePath: binary)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    @Test func nodes_printsOneLinePerNode_withOSReadyAndHealed_thenTheCount() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "3", "--generate-windows", "2"])
        try fake.admin(
            "PATCH", "nodes/akswin000000",
            json: #"{"metadata": {"annotations": {"cops-vigilante-snat-node-healed": "true"}}}"#)

        let result = try Self.run(["nodes", "--kubeconfig", fake.kubeconfig(), "--chunk-size", "2"])

        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.first == "NAME\tOS\tREADY\tHEALED")
        #expect(lines.contains("akswin000000\twindows\tTrue\ttrue"))
        #expect(lines.filter { $0.hasSuffix("\twindows\tTrue\t-") }.count == 1)
        #expect(lines.filter { $0.contains("\tlinux\t") }.count == 3)
        #expect(lines.last == "5 nodes")
        #expect(try fake.requests().count == 3)
    }

    @Test func nodes_quietWithASelector_printsOnlyTheCount() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "3", "--generate-windows", "2"])

        let result = try Self.run([
            "nodes", "--quiet", "--kubeconfig", fake.kubeconfig(), "--selector", "kubernetes.io/os=windows",
        ])

        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "2 nodes\n")
    }

    @Test func nodes_withABrokenKubeconfig_namesTheFileAndField() async throws {
        let fake = try await FakeAPIServer.start()
        let kubeconfig = try fake.directory.write(
            "broken", "apiVersion: v1\nkind: Config\ncurrent-context: missing\ncontexts: []\n")

        let result = try Self.run(["nodes", "--kubeconfig", kubeconfig])

        #expect(result.status == 2)
        #expect(result.errors.contains("\(kubeconfig): current-context"))
    }

    @Test func nodes_whenTheServerRefusesTheToken_failsWithTheError() async throws {
        let fake = try await FakeAPIServer.start()

        let result = try Self.run(["nodes", "--kubeconfig", fake.kubeconfig(token: "wrong")])

        #expect(result.status == 1)
        #expect(result.errors.contains("unauthorized"))
    }
}
