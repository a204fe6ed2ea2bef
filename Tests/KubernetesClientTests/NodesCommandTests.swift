import Foundation
import TestSupport
import Testing

/// `vigilante nodes` (the operator command the benchmark runs) against the fake API server: the built binary,
/// run as an operator would.
@Suite(.serialized) struct NodesCommandTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let binary = try #require(
            ChildProcess.builtVigilante, "the vigilante binary is not built (swift build --build-tests builds it)")
        let finished = try ChildProcess.run(binary, arguments)
        return (finished.status, finished.output, finished.errors)
    }

    @Test func nodes_printsOneLinePerNode_withOSReadyHealedAndState_thenTheCount() async throws {
        let fake = try await FakeAPIServer.start(arguments: ["--generate-linux", "3", "--generate-windows", "2"])
        try fake.admin(
            "PATCH", "nodes/akswin000000",
            json: #"{"metadata": {"annotations": {"cops-vigilante-snat-node-healed": "true"}}}"#)

        let result = try Self.run(["nodes", "--kubeconfig", fake.kubeconfig(), "--chunk-size", "2"])

        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.first == "NAME\tOS\tREADY\tHEALED\tSTATE")
        #expect(lines.contains("akswin000000\twindows\tTrue\ttrue\thealed"))
        #expect(lines.filter { $0.hasSuffix("\twindows\tTrue\t-\tnot healed yet") }.count == 1)
        #expect(lines.filter { $0.hasSuffix("\tlinux\tTrue\t-\t-") }.count == 3)
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
