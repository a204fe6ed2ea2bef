import Testing
import VigilanteApp

/// Every validation message: it names the key, the value as written, and what is allowed.
@Suite struct ConfigurationValidationTests {
    /// Loads `yaml` and returns the problems without the file name.
    private func problems(_ yaml: String) throws -> [String] {
        let loaded = try load(yaml)
        return loaded.problems.map { problem in
            var copy = problem
            copy.location?.source = "conf.yaml"
            return copy.description
        }
    }

    @Test func shortInterval_isRefusedNamingTheKey() throws {
        #expect(
            try problems("interval: 5") == [
                "conf.yaml:1:11: interval: 5: must be at least 15s: shorter intervals flood the Kubernetes API server "
                    + "(set unsafe_allow_short_intervals: true to allow them, for tests and demos only)"
            ])
    }

    @Test func shortInterval_isAllowedWhenUnsafeIsSet() throws {
        #expect(try problems("interval: 5\nunsafe_allow_short_intervals: true").isEmpty)
    }

    @Test func zeroInterval_isRefusedEvenWhenUnsafe() throws {
        #expect(
            try problems("interval: 0\nunsafe_allow_short_intervals: true") == [
                "conf.yaml:1:11: interval: 0: must be longer than 0s"
            ])
    }

    @Test func unknownKey_isAWarningNamingItAndSuggestingTheKnownOne() throws {
        let loaded = try load("intervall: 30\nwebhook:\n  prot: 1\n")
        #expect(loaded.errors.isEmpty)
        #expect(loaded.warnings.map(\.key) == ["intervall", "webhook.prot"])
        #expect(loaded.warnings[0].message == "is not a known key; did you mean \"interval\"?")
        #expect(loaded.warnings[1].message == "is not a known key; did you mean \"webhook.port\"?")
    }

    @Test(arguments: [
        ("tls: 8443", "conf.yaml:1:6: tls: 8443: must be true or false"),
        (
            "interval: soon",
            "conf.yaml:1:11: interval: soon: must be a number of seconds (30) or a duration with a unit: us, ms, s, m, h (500ms, 30s, 30m, 1h30m)"
        ),
        ("webhook:\n  port: https", "conf.yaml:2:9: webhook.port: https: must be a port number, 0 to 65535"),
        (
            "webhook: 8443",
            "conf.yaml:1:10: webhook: 8443: must be a mapping of keys (cert_file, client_ca_file, key_file, max_body_bytes, max_buffered_bytes, max_connections_per_client, port), not a single value"
        ),
        (
            "kubernetes:\n  qps: fast",
            "conf.yaml:2:8: kubernetes.qps: fast: must be a number of requests per second, like 20 or 0.5"
        ),
        (
            "webhook:\n  max_body_bytes: 8MB",
            "conf.yaml:2:19: webhook.max_body_bytes: 8MB: must be a number of bytes, like 8388608 or 8Mi (suffixes Ki, Mi, Gi)"
        ),
        (
            "tasks:\n  snat:\n    healing_pod_tolerations: sku",
            "conf.yaml:3:30: tasks.snat.healing_pod_tolerations: sku: must be a list of tolerations (key, operator, value, effect, tolerationSeconds)"
        ),
        (
            "- interval: 30",
            "conf.yaml:1:1: the file must be a YAML mapping of keys (like \"interval: 30\"), not a list"
        ),
    ])
    func wrongType_isRefusedWithWhatIsAllowed(yaml: String, expected: String) throws {
        #expect(try problems(yaml) == [expected])
    }

    @Test func yamlSyntaxError_namesLineAndColumn() throws {
        let found = try problems("interval: 30\nwebhook:\n  port: [8443\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("conf.yaml:4:1: YAML syntax error:"), "got \(found)")
    }

    @Test func duplicateKey_isRefused() throws {
        #expect(
            try problems("interval: 30\ninterval: 40") == [
                "conf.yaml:1:1: interval: is written twice in the same mapping; keep one"
            ])
    }

    @Test(arguments: [
        (
            "webhook:\n  port: 70000",
            "conf.yaml:2:9: webhook.port: 70000: must be a port number from 1 to 65535, or 0 for any free port"
        ),
        (
            "metrics:\n  port: -1",
            "conf.yaml:2:9: metrics.port: -1: must be a port number from 1 to 65535, or 0 for any free port"
        ),
        (
            "metrics:\n  port: 8443",
            "conf.yaml:2:9: metrics.port: 8443: must differ from webhook.port (8443); both listeners cannot share a port"
        ),
        (
            "interval: 60\ntasks:\n  snat:\n    healing_duration: 60",
            "conf.yaml:4:23: tasks.snat.healing_duration: 60: must be longer than interval (1m), or no probe round fits in the healing window"
        ),
        (
            "tasks:\n  snat:\n    error_threshold: 0",
            "conf.yaml:3:22: tasks.snat.error_threshold: 0: must be from 1 to 1000"
        ),
        (
            "tasks:\n  snat:\n    resync_interval: 10s",
            "conf.yaml:3:22: tasks.snat.resync_interval: 10s: must be at least 30s: each resync lists every Windows node of the cluster (set unsafe_allow_short_intervals: true to allow less, for tests and demos only)"
        ),
        (
            "webhook:\n  max_body_bytes: 100",
            "conf.yaml:2:19: webhook.max_body_bytes: 100: must be from 65536 (64Ki) to 1073741824 (1Gi)"
        ),
        (
            "tasks:\n  snat:\n    min_sandboxes: 0",
            "conf.yaml:3:20: tasks.snat.min_sandboxes: 0: must be from 1 to 100"
        ),
        (
            "interval: 10m\ntasks:\n  snat:\n    min_sandboxes: 4\n    sandbox_timeout: 10m\n    retry_after: 10m",
            "conf.yaml:4:20: tasks.snat.min_sandboxes: 4: must be at most 3: a window of 30m holds 3 probe rounds of interval 10m"
        ),
        (
            "tasks:\n  snat:\n    sandbox_timeout: 10s",
            "conf.yaml:3:22: tasks.snat.sandbox_timeout: 10s: must be from interval (30s) to 24h: a busy Windows node can take a minute to create a sandbox"
        ),
        (
            "tasks:\n  snat:\n    retry_after: 2d",
            "conf.yaml:3:18: tasks.snat.retry_after: 2d: must be a number of seconds (30) or a duration with a unit: us, ms, s, m, h (500ms, 30s, 30m, 1h30m)"
        ),
        (
            "tasks:\n  snat:\n    retry_after: 25h",
            "conf.yaml:3:18: tasks.snat.retry_after: 25h: must be from interval (30s) to 24h"
        ),
        (
            "shutdown_timeout: 500ms",
            "conf.yaml:1:19: shutdown_timeout: 500ms: must be from 1s to 5m, and under the pod's terminationGracePeriodSeconds"
        ),
        (
            "shutdown_timeout: 1h",
            "conf.yaml:1:19: shutdown_timeout: 1h: must be from 1s to 5m, and under the pod's terminationGracePeriodSeconds"
        ),
        (
            "webhook:\n  cert_file: ''",
            "conf.yaml:2:14: webhook.cert_file: \"\": must name the certificate file when TLS is on"
        ),
        ("kubernetes:\n  qps: 0", "conf.yaml:2:8: kubernetes.qps: 0: must be from 0.01 to 10000 requests per second"),
        (
            "kubernetes:\n  qps: 1e9",
            "conf.yaml:2:8: kubernetes.qps: 1e9: must be from 0.01 to 10000 requests per second"
        ),
        ("kubernetes:\n  burst: 0", "conf.yaml:2:10: kubernetes.burst: 0: must be from 1 to 100000"),
        (
            "tasks:\n  snat:\n    pod_image: 'pause 3.6'",
            "conf.yaml:3:16: tasks.snat.pod_image: pause 3.6: must be a container image reference without spaces, like mcr.microsoft.com/oss/kubernetes/pause:3.6"
        ),
        (
            "tasks:\n  snat:\n    pod_namespace: Kube_System",
            "conf.yaml:3:20: tasks.snat.pod_namespace: Kube_System: must be a namespace name: 1 to 63 lower case letters, digits or \"-\", starting and ending with a letter or digit"
        ),
    ])
    func outOfRangeValue_isRefusedWithWhatIsAllowed(yaml: String, expected: String) throws {
        #expect(try problems(yaml) == [expected])
    }

    @Test(arguments: [
        ("{operator: Sometimes}", "[0].operator: Sometimes: must be Exists or Equal"),
        (
            "{key: a, effect: NoRun}",
            "[0].effect: NoRun: must be NoSchedule, PreferNoSchedule or NoExecute (or empty for all)"
        ),
        (
            "{key: a, tolerance: 1}",
            "[0].tolerance: tolerance: must be a toleration field: key, operator, value, effect, tolerationSeconds"
        ),
        (
            "{key: a, value: b, effect: NoSchedule, tolerationSeconds: 30}",
            "[0]: {key: a, value: b, effect: NoSchedule, tolerationSeconds: 30}: tolerationSeconds is only allowed with effect NoExecute"
        ),
        (
            "{key: a, operator: Exists, value: b}",
            "[0]: {key: a, operator: Exists, value: b}: value must be empty when operator is Exists"
        ),
        (
            "{value: b}",
            "[0]: {value: b}: operator must be Exists when key is empty (an empty key with Exists tolerates every taint)"
        ),
        (
            "{key: 'bad key', operator: Exists}",
            "[0]: {key: bad key, operator: Exists}: key \"bad key\" must consist of alphanumerics, \"-\", \"_\" or \".\", starting and ending with an alphanumeric"
        ),
        (
            "{key: a, effect: NoExecute, tolerationSeconds: soon}",
            "[0].tolerationSeconds: soon: must be a whole number of seconds"
        ),
    ])
    func malformedToleration_isRefusedAsKubernetesWould(item: String, expected: String) throws {
        let found = try problems("tasks:\n  snat:\n    healing_pod_tolerations:\n      - \(item)")
        #expect(found.count == 1)
        #expect(found.first?.hasSuffix("tasks.snat.healing_pod_tolerations" + expected) == true, "got \(found)")
    }

    @Test func clientCAWithoutTLS_isRefused() throws {
        #expect(
            try problems("tls: false\nwebhook:\n  client_ca_file: /ca.crt") == [
                "conf.yaml:3:19: webhook.client_ca_file: /ca.crt: needs tls: true; client certificates are part of TLS"
            ])
    }
}
