import Foundation
import Kubernetes
import Testing
import VigilanteApp

/// Every configuration key of the README read from a file.
@Suite struct ConfigurationKeysTests {
    @Test func everyKey_isReadFromTheFile() throws {
        let loaded = try load(
            """
            tls: false
            interval: 45
            unsafe_allow_short_intervals: true
            shutdown_timeout: 12s
            webhook:
              port: 9443
              cert_file: /certs/a.crt
              key_file: /certs/a.key
              client_ca_file: /certs/ca.crt
              max_body_bytes: 4Mi
              max_buffered_bytes: 32Mi
              max_connections_per_client: 50
            metrics:
              port: 9090
              tls: true
            kubernetes:
              qps: 7.5
              burst: 15
            tasks:
              snat:
                enabled: false
                healing_duration: 1h
                error_threshold: 3
                resync_interval: 10m
                pod_image: registry.example/pause:1
                pod_namespace: vigilante
                healing_pod_tolerations:
                  - key: sku
                    operator: Equal
                    value: windows
                    effect: NoSchedule
                  - operator: Exists
                    effect: NoExecute
                    tolerationSeconds: 60
                verify_sandboxes: false
                min_sandboxes: 2
                sandbox_timeout: 90s
                retry_after: 15m
            """)
        let config = loaded.configuration
        // client_ca_file needs tls: true; that one problem is expected here.
        #expect(
            messages(loaded) == [
                "\(loaded.sources[0]):9:19: webhook.client_ca_file: /certs/ca.crt: needs tls: true; client certificates are part of TLS"
            ])
        #expect(config.tls == false)
        #expect(config.interval == .seconds(45))
        #expect(config.shutdownTimeout == .seconds(12))
        #expect(config.snat.verifySandboxes == false)
        #expect(config.snat.minSandboxes == 2)
        #expect(config.snat.sandboxTimeout == .seconds(90))
        #expect(config.snat.retryAfter == .seconds(900))
        #expect(config.unsafeAllowShortIntervals)
        #expect(config.webhookPort == 9443)
        #expect(config.webhook.certFile == "/certs/a.crt")
        #expect(config.webhook.keyFile == "/certs/a.key")
        #expect(config.webhook.clientCAFile == "/certs/ca.crt")
        #expect(config.webhook.maxBodyBytes == 4 * 1024 * 1024)
        #expect(config.webhook.maxBufferedBytes == 32 * 1024 * 1024)
        #expect(config.webhook.maxConnectionsPerClient == 50)
        #expect(config.metrics.port == 9090)
        #expect(config.metrics.tls)
        #expect(config.kubernetes.qps == 7.5)
        #expect(config.kubernetes.burst == 15)
        #expect(config.snat.enabled == false)
        #expect(config.snat.healingDuration == .seconds(3600))
        #expect(config.snat.errorThreshold == 3)
        #expect(config.snat.resyncInterval == .seconds(600))
        #expect(config.snat.podImage == "registry.example/pause:1")
        #expect(config.snat.podNamespace == "vigilante")
        #expect(
            config.snat.healingPodTolerations == [
                Toleration(key: "sku", operator: .equal, value: "windows", effect: .noSchedule),
                Toleration(operator: .exists, effect: .noExecute, tolerationSeconds: 60),
            ])
    }

    @Test(arguments: [
        ("30", Duration.seconds(30)), ("500ms", .milliseconds(500)), ("30s", .seconds(30)), ("30m", .seconds(1800)),
        ("1h", .seconds(3600)), ("1h30m", .seconds(5400)), ("1.5s", .milliseconds(1500)), ("\"45\"", .seconds(45)),
        ("20s500ms", .milliseconds(20500)), ("20s100us", .microseconds(20_000_100)),
        ("20.0001s", .microseconds(20_000_100)),
    ])
    func durations_acceptSecondsOrAUnit(text: String, expected: Duration) throws {
        let loaded = try load(
            "interval: \(text)\nunsafe_allow_short_intervals: true\ntasks:\n  snat:\n    healing_duration: 2h")
        #expect(loaded.problems.isEmpty)
        #expect(loaded.configuration.interval == expected)
    }

    @Test func effectiveYaml_loadsBackToTheSameConfiguration() throws {
        let original = try load(
            "interval: 1m30s\ntasks:\n  snat:\n    healing_pod_tolerations:\n      - {key: a, operator: Equal, value: b, effect: NoExecute, tolerationSeconds: 5}\n"
        )
        #expect(original.problems.isEmpty)
        let reloaded = try load(original.configuration.yamlText)
        #expect(reloaded.problems.isEmpty)
        #expect(reloaded.configuration.yamlText == original.configuration.yamlText)
    }

    @Test func emptyFileAndEmptySections_keepTheDefaults() throws {
        #expect(try load("").configuration == resolvedDefaults)
        #expect(try load("tasks:\nwebhook:\n").configuration == resolvedDefaults)
    }

    @Test func goOriginalTemplateKeys_loadUnchanged() throws {
        // The keys of the Go original's config/conf.template.yaml (v1.2.1), with its values.
        let loaded = try load(
            """
            server_use_tls: false
            interval: 30
            tasks:
              snat:
                healing_pod_tolerations: []
            """)
        #expect(loaded.problems.isEmpty)
        #expect(loaded.configuration.tls == false)
        #expect(loaded.configuration.interval == .seconds(30))
    }

    @Test func commentedTemplate_listsEveryKeyAtItsDefault() throws {
        let path = repositoryRoot.appending(path: "config/conf.template.yaml").path
        let loaded = ConfigurationLoader(
            explicitPath: path, environment: testEnvironment, serviceAccountNamespaceFile: "/nonexistent/namespace"
        ).load()
        #expect(loaded.problems.isEmpty)
        #expect(loaded.configuration.yamlText == resolvedDefaults.yamlText)
        let template = try String(contentsOfFile: path, encoding: .utf8)
        for (key, _) in VigilanteConfiguration().keyValues {
            let leaf = String(key.split(separator: ".").last!)
            #expect(
                template.contains("\n\(String(repeating: "  ", count: key.split(separator: ".").count - 1))\(leaf):"),
                "template lacks \(key)")
        }
    }
}
