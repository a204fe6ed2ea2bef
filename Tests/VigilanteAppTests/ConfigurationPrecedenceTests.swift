import Foundation
import TestSupport
import Testing
import VigilanteApp

@Suite struct ConfigurationPrecedenceTests {
    @Test func laterFile_overridesEarlierOne_keyByKey() throws {
        let directory = try TemporaryDirectory()
        let etc = try directory.write("etc/conf.yaml", "interval: 60\nmetrics:\n  port: 9100\n  tls: true\n")
        let local = try directory.write("local/conf.yaml", "interval: 20\nmetrics:\n  port: 9200\n")
        let loaded = ConfigurationLoader(searchPaths: [etc, local]).load()
        #expect(loaded.problems.isEmpty)
        #expect(loaded.sources == [etc, local])
        #expect(loaded.configuration.interval == .seconds(20))
        #expect(loaded.configuration.metrics.port == 9200)
        #expect(loaded.configuration.metrics.tls == true, "a key only the earlier file sets is kept")
    }

    @Test func missingSearchFiles_areSkipped() throws {
        let directory = try TemporaryDirectory()
        let local = try directory.write("conf.yaml", "interval: 20\n")
        let loaded = ConfigurationLoader(searchPaths: [directory.url.appending(path: "absent.yaml").path, local]).load()
        #expect(loaded.problems.isEmpty)
        #expect(loaded.sources == [local])
    }

    @Test func explicitFile_replacesTheSearchPaths_andMustExist() throws {
        let directory = try TemporaryDirectory()
        let other = try directory.write("searched.yaml", "interval: 99\n")
        let missing = directory.url.appending(path: "absent.yaml").path
        let loaded = ConfigurationLoader(explicitPath: missing, searchPaths: [other]).load()
        #expect(messages(loaded) == ["cannot read configuration file \(missing): no such file"])
        #expect(loaded.configuration.interval == .seconds(30))
    }

    @Test func flags_overrideTheFile() throws {
        let loaded = try load(
            "tls: true\ninterval: 60\nwebhook:\n  port: 9443\n",
            overrides: [
                .init(key: "tls", value: "false", flag: "--no-tls"),
                .init(key: "interval", value: "45s", flag: "--interval"),
                .init(key: "webhook.port", value: "0", flag: "--webhook-port"),
            ])
        #expect(loaded.problems.isEmpty)
        #expect(loaded.configuration.tls == false)
        #expect(loaded.configuration.interval == .seconds(45))
        #expect(loaded.configuration.webhookPort == 0)
    }

    @Test func badFlagValue_namesTheFlag() throws {
        let loaded = try load("", overrides: [.init(key: "interval", value: "5", flag: "--interval")])
        #expect(
            messages(loaded) == [
                "--interval: interval: 5: must be at least 15s: shorter intervals flood the Kubernetes API server "
                    + "(set unsafe_allow_short_intervals: true to allow them, for tests and demos only)"
            ])
    }
}
