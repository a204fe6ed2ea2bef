import Foundation
import TestSupport
import Testing
import VigilanteApp

/// `leader_election.*`: client-go's defaults, the environment's defaults, and the order of the three durations.
@Suite struct ConfigurationLeaderElectionTests {
    private func problems(_ yaml: String) throws -> [String] {
        try load(yaml).problems.map { problem in
            var copy = problem
            copy.location = nil
            return copy.description
        }
    }

    @Test func defaults_areOffWithClientGoTimings() throws {
        let election = try load("").configuration.leaderElection
        #expect(election.enabled == false)
        #expect(election.leaseName == "cops-vigilante")
        #expect(election.leaseDuration == .seconds(15))
        #expect(election.renewDeadline == .seconds(10))
        #expect(election.retryPeriod == .seconds(2))
    }

    @Test func identity_isThePodName_andNamespaceThePodsOwn() throws {
        let directory = try TemporaryDirectory()
        let namespaceFile = try directory.write("namespace", "cops-system\n")
        let config = try directory.write("conf.yaml", "leader_election:\n  enabled: true\n")
        let loaded = ConfigurationLoader(
            explicitPath: config, environment: ["POD_NAME": "cops-vigilante-7d9f-x2"],
            serviceAccountNamespaceFile: namespaceFile
        ).load()
        #expect(loaded.problems.isEmpty)
        #expect(loaded.configuration.leaderElection.identity == "cops-vigilante-7d9f-x2")
        #expect(loaded.configuration.leaderElection.namespace == "cops-system")
    }

    @Test func outsideAPod_identityIsTheHostNameWithARandomSuffix_andNamespaceKubeSystem() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("conf.yaml", "")
        func identity() -> String {
            ConfigurationLoader(explicitPath: config, environment: [:], serviceAccountNamespaceFile: "/nonexistent")
                .load().configuration.leaderElection.identity
        }
        let first = identity()
        #expect(first.hasPrefix(ProcessInfo.processInfo.hostName + "_"))
        #expect(first != identity(), "two processes on one host must not share an identity")
        let loaded = ConfigurationLoader(explicitPath: config, environment: [:], serviceAccountNamespaceFile: "/none")
            .load()
        #expect(loaded.configuration.leaderElection.namespace == "kube-system")
    }

    @Test func explicitValues_winOverTheEnvironment() throws {
        let election = try load(
            """
            leader_election:
              enabled: true
              namespace: ops
              lease_name: vigilante.ops
              identity: replica-a
              lease_duration: 30s
              renew_deadline: 20s
              retry_period: 4s
            """
        ).configuration.leaderElection
        #expect(election.enabled)
        #expect(election.namespace == "ops")
        #expect(election.leaseName == "vigilante.ops")
        #expect(election.identity == "replica-a")
        #expect(election.leaseDuration == .seconds(30))
        #expect(election.renewDeadline == .seconds(20))
        #expect(election.retryPeriod == .seconds(4))
    }

    @Test func durations_mustBeOrdered() throws {
        #expect(
            try problems("leader_election:\n  lease_duration: 10s\n  renew_deadline: 10s\n") == [
                "leader_election.lease_duration: 10s: must be longer than leader_election.renew_deadline (10s): the "
                    + "leader must stop acting before another replica may take over"
            ])
        #expect(
            try problems("leader_election:\n  retry_period: 10s\n") == [
                "leader_election.renew_deadline: 10s: must be longer than leader_election.retry_period (10s), or the "
                    + "leader has no second chance to renew"
            ])
    }

    @Test func durations_haveBounds() throws {
        #expect(
            try problems("leader_election:\n  retry_period: 500ms\n") == [
                "leader_election.retry_period: 500ms: must be from 1s to 10m"
            ])
        #expect(
            try problems("leader_election:\n  lease_duration: 1h\n") == [
                "leader_election.lease_duration: 1h: must be from 1s to 10m"
            ])
    }

    @Test func names_areCheckedAsKubernetesDoes() throws {
        #expect(
            try problems("leader_election:\n  namespace: Ops\n") == [
                "leader_election.namespace: Ops: must be a namespace name: 1 to 63 lower case letters, digits or "
                    + "\"-\", starting and ending with a letter or digit"
            ])
        #expect(
            try problems("leader_election:\n  lease_name: -lease\n") == [
                "leader_election.lease_name: -lease: must be a Lease name: at most 253 lower case letters, digits, "
                    + "\"-\" or \".\", starting and ending with a letter or digit"
            ])
        #expect(try problems("leader_election:\n  identity: \"a\\nb\"\n").count == 1)
    }
}
