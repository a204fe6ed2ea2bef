import Testing
import VigilanteApp

@Suite struct ConfigurationDefaultsTests {
    @Test func noFileAndNoFlags_givesTheSpecDefaults() {
        let loaded = ConfigurationLoader(searchPaths: ["/nonexistent/conf.yaml"]).load()
        let config = loaded.configuration
        #expect(loaded.problems.isEmpty)
        #expect(loaded.sources.isEmpty)
        #expect(config.tls == true)
        #expect(config.interval == .seconds(30))
        #expect(config.unsafeAllowShortIntervals == false)
        #expect(config.webhookPort == 8443)
        #expect(config.webhook.certFile == "/etc/vigilante/certs/tls.crt")
        #expect(config.webhook.keyFile == "/etc/vigilante/certs/tls.key")
        #expect(config.webhook.clientCAFile == nil)
        #expect(config.webhook.maxBodyBytes == 4 * 1024 * 1024)
        #expect(config.webhook.maxBufferedBytes == 64 * 1024 * 1024)
        #expect(config.webhook.maxConnectionsPerClient == 256)
        #expect(config.metrics.port == 8080)
        #expect(config.metrics.tls == false)
        #expect(config.kubernetes.qps == 20)
        #expect(config.kubernetes.burst == 40)
        #expect(config.snat.enabled == true)
        #expect(config.snat.healingDuration == .seconds(1800))
        #expect(config.snat.errorThreshold == 10)
        #expect(config.snat.resyncInterval == .seconds(300))
        #expect(config.snat.podImage == "mcr.microsoft.com/oss/kubernetes/pause:3.6")
        #expect(config.snat.podNamespace == "kube-system")
        #expect(config.snat.healingPodTolerations.isEmpty)
    }

    @Test func tlsOff_movesTheWebhookToPort8000AsTheOriginal() throws {
        #expect(try load("tls: false").configuration.webhookPort == 8000)
    }

    @Test func tlsOffWithAnExplicitPort_keepsThatPort() throws {
        #expect(try load("tls: false\nwebhook:\n  port: 9000").configuration.webhookPort == 9000)
    }

    @Test func searchOrder_isEtcThenLocal() {
        #expect(ConfigurationLoader.defaultSearchPaths == ["/etc/vigilante/config/conf.yaml", "config/conf.yaml"])
    }
}
