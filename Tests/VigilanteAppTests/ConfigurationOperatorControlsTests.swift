import Kubernetes
import Testing
import VigilanteApp

/// `dry_run` (also `--dry-run`) and `tasks.snat.paused`: off by default, on when set.
@Suite struct ConfigurationOperatorControlsTests {
    @Test func dryRunAndPause_areOffByDefault() throws {
        let config = try load("").configuration
        #expect(config.dryRun == false)
        #expect(config.snat.paused == false)
    }

    @Test func dryRunAndPause_areReadFromTheFile() throws {
        let loaded = try load("dry_run: true\ntasks:\n  snat:\n    paused: true\n")
        #expect(loaded.problems.isEmpty)
        #expect(loaded.configuration.dryRun)
        #expect(loaded.configuration.snat.paused)
    }

    @Test func dryRunFlag_winsOverTheFile() throws {
        let loaded = try load(
            "dry_run: false\n", overrides: [ConfigurationOverride(key: "dry_run", value: "true", flag: "--dry-run")])
        #expect(loaded.configuration.dryRun)
    }

    @Test func aValueThatIsNotABoolean_isRefusedNamingTheKey() throws {
        let loaded = try load("tasks:\n  snat:\n    paused: sometimes\n")
        #expect(loaded.problems.map(\.key) == ["tasks.snat.paused"])
    }
}

/// `tasks.snat.startup_taint`: empty (off) by default; a taint as `kubectl taint` writes it, checked as the API
/// server checks taints.
@Suite struct ConfigurationStartupTaintTests {
    @Test func offByDefault() throws {
        #expect(try load("").configuration.snat.startupTaint == nil)
    }

    @Test func aTaintIsRead() throws {
        let loaded = try load("tasks:\n  snat:\n    startup_taint: cops-vigilante/snat-unhealed=true:NoSchedule\n")
        #expect(loaded.problems.isEmpty)
        #expect(
            loaded.configuration.snat.startupTaint
                == Taint(key: "cops-vigilante/snat-unhealed", value: "true", effect: "NoSchedule"))
        #expect(
            loaded.configuration.yamlText.contains("startup_taint: \"cops-vigilante/snat-unhealed=true:NoSchedule\""))
    }

    @Test func aBadTaint_isRefusedSayingWhy() throws {
        let loaded = try load("tasks:\n  snat:\n    startup_taint: unhealed=true:Never\n")
        #expect(loaded.problems.map(\.key) == ["tasks.snat.startup_taint"])
        #expect(
            loaded.problems.first?.message
                == "effect \"Never\" must be NoSchedule, PreferNoSchedule or NoExecute (a taint is key=value:Effect or key:Effect)"
        )
    }
}

/// `tasks.snat.report_pods_predating_healing` (on) and `evict_pods_predating_healing` (off, and only with the report).
@Suite struct ConfigurationPredatingPodsTests {
    @Test func reportOn_evictionOff_byDefault() throws {
        let snat = try load("").configuration.snat
        #expect(snat.reportPodsPredatingHealing)
        #expect(!snat.evictPodsPredatingHealing)
    }

    @Test func evictionWithoutTheReport_isRefused() throws {
        let loaded = try load(
            "tasks:\n  snat:\n    report_pods_predating_healing: false\n    evict_pods_predating_healing: true\n")
        #expect(loaded.problems.map(\.key) == ["tasks.snat.evict_pods_predating_healing"])
    }
}
