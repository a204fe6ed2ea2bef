import Foundation
import Testing

/// The three commands of the binary, their output and exit status.
@Suite struct CommandLineTests {
    /// Plain HTTP on ports the kernel picks: no certificate needed, no clash with other runs.
    private let plainOnFreePorts = ["--no-tls", "--webhook-port", "0", "--metrics-port", "0"]
    /// The healing task needs a cluster; these tests run the listeners only.
    private static let withoutHealing = "tasks:\n  snat:\n    enabled: false\n"
    /// The JSON log line announcing the webhook listener (its metadata, keys sorted).
    private let webhookListening = "\"listener\":\"webhook\""

    private func scratch(_ files: [String: String] = [:]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "vigilante-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            let file = directory.appending(path: name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func version_printsVersionCommitAndLinkedLibraries() throws {
        let result = try VigilanteProcess.run(["version"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("cops-vigilante ") == true)
        #expect(lines.contains { $0.hasPrefix("commit: ") && $0.count > "commit: ".count })
        #expect(lines.contains { $0.hasPrefix("openssl: OpenSSL 3.") })
        #expect(lines.contains { $0.hasPrefix("libcurl: ") && $0.contains("OpenSSL/") })
    }

    @Test func checkConfig_withNoFile_printsTheDefaultsAndExitsZero() throws {
        let result = try VigilanteProcess.run(["check-config"], in: try scratch())
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("\ninterval: 30s\n"))
        #expect(result.standardOutput.contains("  port: 8443\n"))
        #expect(result.standardError.isEmpty)
    }

    @Test func checkConfig_readsTheLocalConfigFile() throws {
        let directory = try scratch(["config/conf.yaml": "interval: 45\n"])
        let result = try VigilanteProcess.run(["check-config"], in: directory)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("\ninterval: 45s\n"))
        #expect(result.standardOutput.hasPrefix("# effective configuration (config/conf.yaml)"))
    }

    @Test func checkConfig_refusesAShortIntervalNamingTheKey() throws {
        let directory = try scratch(["conf.yaml": "interval: 5\n"])
        let result = try VigilanteProcess.run(["check-config", "--config", "conf.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("error: conf.yaml:1:11: interval: 5: must be at least 15s"))
    }

    @Test(arguments: ["10000000000000", "9223372036854775807"])
    func checkConfigAndRun_refuseAnEnormousInterval_fromTheFileOrTheFlag(value: String) throws {
        let directory = try scratch(["conf.yaml": "tls: false\ninterval: \(value)\n"])
        // check-config exits 1 on a problem, run 2 (a configuration it refuses to start with); never a signal.
        for (arguments, status) in [
            (["check-config", "--config", "conf.yaml"], Int32(1)), (["check-config", "--interval", value], 1),
            (["run", "--config", "conf.yaml"], 2),
        ] {
            let result = try VigilanteProcess.run(arguments, in: directory)
            #expect(result.status == status, "\(arguments): \(result.standardError)")
            #expect(
                result.standardError.contains("interval: \(value): must be at most 8760h (a year)"),
                "\(arguments): \(result.standardError)")
        }
    }

    @Test func checkConfig_refusesAnUnknownKeyNamingIt() throws {
        let directory = try scratch(["conf.yaml": "interval: 30\nhealing_minutes: 30\n"])
        let result = try VigilanteProcess.run(["check-config", "--config", "conf.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(result.standardError.contains("warning: conf.yaml:2:1: healing_minutes: is not a known key"))
    }

    @Test func checkConfig_printsEveryProblemOnItsOwnLine() throws {
        let directory = try scratch(["conf.yaml": "interval: 5\ntls: maybe\nmetrics:\n  port: 99999\n"])
        let result = try VigilanteProcess.run(["check-config", "--config", "conf.yaml"], in: directory)
        #expect(result.status == 1)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.contains { $0.contains("tls: maybe: must be true or false") })
        #expect(lines.contains { $0.contains("interval: 5:") })
        #expect(lines.contains { $0.contains("metrics.port: 99999:") })
        #expect(lines.last == "configuration has 3 problem(s)")
    }

    @Test func checkConfig_reportsAMissingFile() throws {
        let result = try VigilanteProcess.run(["check-config", "--config", "/nonexistent/conf.yaml"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot read configuration file /nonexistent/conf.yaml: no such file"))
    }

    @Test func checkConfig_reportsAYamlSyntaxErrorWithLineAndColumn() throws {
        let directory = try scratch(["conf.yaml": "interval: 30\ntasks:\n  snat: {enabled: true\n"])
        let result = try VigilanteProcess.run(["check-config", "--config", "conf.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(result.standardError.contains("error: conf.yaml:4:1: YAML syntax error:"), "\(result.standardError)")
    }

    @Test func checkConfig_flagsOverrideTheFile() throws {
        let directory = try scratch(["conf.yaml": "interval: 60\n"])
        let result = try VigilanteProcess.run(
            ["check-config", "--config", "conf.yaml", "-i", "20", "--no-tls", "--metrics-port", "9100"], in: directory)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("\ntls: false\ninterval: 20s\n"))
        #expect(result.standardOutput.contains("  port: 8000\n"))
        #expect(result.standardOutput.contains("  port: 9100\n"))
    }

    @Test func checkConfig_jsonNamesTheListenersEndpoints() throws {
        let result = try VigilanteProcess.run(["check-config", "--format", "json"], in: try scratch())
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let endpoints = object?["endpoints"] as? [String: [String: Any]]
        #expect(endpoints?["webhook"]?["port"] as? Int == 8443)
        #expect(endpoints?["webhook"]?["paths"] as? [String] == ["/validate", "/healthz", "/readyz", "/health"])
        #expect(endpoints?["metrics"]?["paths"] as? [String] == ["/metrics", "/healthz", "/readyz"])
    }

    @Test func run_withAnInvalidConfiguration_exitsNonZeroWithoutServing() throws {
        let directory = try scratch(["conf.yaml": "interval: 5\n"])
        let result = try VigilanteProcess.run(["run", "--config", "conf.yaml"], in: directory)
        #expect(result.status == 2)
        #expect(result.standardError.contains("interval: 5: must be at least 15s"))
        #expect(result.standardError.contains("Not starting"))
    }

    @Test func run_withAMissingCertificate_exitsNonZeroNamingTheFile() throws {
        let result = try VigilanteProcess.run(
            [
                "run", "--cert-file", "/nonexistent/tls.crt", "--key-file", "/nonexistent/tls.key", "--webhook-port",
                "0",
                "--metrics-port", "0",
            ])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot read the certificate file /nonexistent/tls.crt: no such file"))
    }

    @Test func run_withoutAnyClusterConfig_exitsNonZeroSayingSo() throws {
        let home = try scratch()
        let result = try VigilanteProcess.run(
            ["run", "--kubeconfig", home.appending(path: "missing-kubeconfig").path] + plainOnFreePorts, in: home)
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot load the Kubernetes configuration"))
    }

    @Test func run_warnsAboutAnUnknownKeyButStarts() async throws {
        let directory = try scratch(["conf.yaml": "intervall: 30\n" + Self.withoutHealing])
        let run = try RunningVigilante(
            ["run", "--config", "conf.yaml", "--log-format", "json"] + plainOnFreePorts, in: directory)
        try await run.waitForStandardError(containing: webhookListening)
        let status = try await run.stop(signal: SIGTERM)
        #expect(status == 0)
        #expect(run.standardError.contains("intervall: is not a known key"))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func run_logsTheEffectiveConfiguration_andExitsZeroOnSignal(signal: Int32) async throws {
        let run = try RunningVigilante(
            ["run", "--config", "conf.yaml", "--interval", "20", "--log-format", "json"] + plainOnFreePorts,
            in: try scratch(["conf.yaml": Self.withoutHealing]))
        try await run.waitForStandardError(containing: webhookListening)
        let status = try await run.stop(signal: signal)
        #expect(status == 0)
        let lines = run.standardError.split(separator: "\n")
        let start = try #require(lines.first { $0.contains("effective configuration") })
        let object = try JSONSerialization.jsonObject(with: Data(start.utf8)) as? [String: Any]
        let metadata = object?["metadata"] as? [String: String]
        #expect(metadata?["interval"] == "20s")
        #expect(metadata?["webhook.port"] == "0")
        #expect(lines.last?.contains("Stopped cleanly") == true)
    }
}
