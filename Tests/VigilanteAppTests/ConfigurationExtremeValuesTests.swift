import Foundation
import Testing
import VigilanteApp

/// No configuration value crashes vigilante: every key is fed extreme integers, floats, strings and other YAML
/// types, and each is either accepted or refused with a problem that names a key, and the effective configuration
/// still renders (as `check-config` prints it).
@Suite struct ConfigurationExtremeValuesTests {
    static let extremes = [
        "0", "-1", "1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "18446744073709551616", "10000000000000", String(repeating: "9", count: 400), "1e308", "-1e308", "1e309",
        "4.9e-324", ".nan", ".inf", "-.inf", "0.0000001", "0x7fffffffffffffff", "\"\"", "\" \"", "abc",
        "\"9223372036854775807h\"", "2562047h47m16s", "8760h", "8760h1us", "1.5h", "1e30s", "99999999999h",
        "1.2.3s", "30.5", "-30s", "true", "null", "[]", "[1, 2]", "{}", "{a: 1}", "\"\\0\\a\\b\\e\"",
        "\"\(String(repeating: "x", count: 10_000))\"",
    ]

    /// `key: value` as nested YAML: `tasks.snat.interval` becomes three levels.
    static func yaml(_ key: String, _ value: String) -> String {
        let parts = key.split(separator: ".")
        return parts.enumerated().map { index, part in
            String(repeating: "  ", count: index) + "\(part):" + (index == parts.count - 1 ? " \(value)" : "")
        }.joined(separator: "\n") + "\n"
    }

    @Test(arguments: ConfigurationLoader.keyNames)
    func everyKey_refusesOrAcceptsExtremeValues_withoutCrashing(key: String) throws {
        let leaf = String(key.split(separator: ".").last ?? "")
        for value in Self.extremes {
            let loaded = try load("tls: false\n" + Self.yaml(key, value))
            _ = loaded.configuration.yamlText
            _ = loaded.configuration.jsonText
            _ = loaded.configuration.keyValues
            for problem in loaded.problems {
                #expect(!problem.message.isEmpty)
            }
            if !loaded.problems.isEmpty {
                #expect(
                    loaded.problems.contains { $0.description.contains(leaf) },
                    "\(key): \(value.prefix(40)) gave \(messages(loaded))")
            }
        }
    }

    @Test(arguments: ["interval", "shutdown_timeout", "tasks.snat.healing_duration", "tasks.snat.resync_interval"])
    func aDurationOfTrillionsOfSeconds_isRefusedAsTooLong(key: String) throws {
        for value in ["10000000000000", "9223372036854775807", "99999999999999999999", "2562047h", "9999999999999999h"]
        {
            let loaded = try load("tls: false\n" + Self.yaml(key, value))
            #expect(
                messages(loaded).contains { $0.contains("\(key): \(value): must be at most 8760h (a year)") },
                "\(messages(loaded))")
        }
    }

    @Test func everyDurationHasACeiling_belowAYear() throws {
        let loaded = try load(
            """
            tls: false
            interval: 8760h
            shutdown_timeout: 8760h
            tasks:
              snat:
                healing_duration: 8760h
                resync_interval: 8760h
                sandbox_timeout: 8760h
                retry_after: 8760h
            """)
        let refused = Set(loaded.problems.compactMap(\.key))
        #expect(
            refused.isSuperset(of: [
                "interval", "shutdown_timeout", "tasks.snat.healing_duration", "tasks.snat.resync_interval",
                "tasks.snat.sandbox_timeout", "tasks.snat.retry_after",
            ]), "\(messages(loaded))")
    }
}
