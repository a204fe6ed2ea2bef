import Foundation
import Kubernetes
import KubernetesClient
import Testing

/// The Lease calls against the fake API server, which serves Leases with the API server's rules.
@Suite(.serialized) struct ClientLeaseTests {
    static func lease(holder: String) -> Lease {
        let now = MicroTime(microsecondsSince1970: 1_800_000_000_123_456)
        return Lease(
            metadata: ObjectMeta(name: "cops-vigilante", namespace: "kube-system"),
            spec: LeaseSpec(
                holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: now, renewTime: now,
                leaseTransitions: 0))
    }

    @Test func createGetUpdate_andAStaleUpdateIsAConflict() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())

        let created = try await client.createLease(Self.lease(holder: "replica-a"))
        #expect(created.metadata.resourceVersion != nil)
        let read = try await client.getLease(named: "cops-vigilante", namespace: "kube-system")
        #expect(read == created)
        #expect(read.spec.acquireTime == MicroTime(microsecondsSince1970: 1_800_000_000_123_456))

        var renewed = read
        renewed.spec.renewTime = MicroTime(microsecondsSince1970: 1_800_000_002_000_000)
        let written = try await client.updateLease(renewed)
        #expect(written.spec.renewTime == renewed.spec.renewTime)
        #expect(written.metadata.resourceVersion != read.metadata.resourceVersion)

        var stale = read
        stale.spec.holderIdentity = "replica-b"
        let error = await caught { () async throws(KubernetesError) in try await client.updateLease(stale) }
        #expect(error?.caseName == "conflict")
        #expect(error?.call.verb == .updateLease)
        #expect(
            try await client.getLease(named: "cops-vigilante", namespace: "kube-system").spec.holderIdentity
                == "replica-a")

        let second = await caught { () async throws(KubernetesError) in
            try await client.createLease(Self.lease(holder: "replica-b"))
        }
        #expect(second?.caseName == "alreadyExists")
        let logged = try fake.requests().filter { $0.path.contains("/leases") }.map { "\($0.method) \($0.path)" }
        #expect(logged.first == "POST /apis/coordination.k8s.io/v1/namespaces/kube-system/leases")
        #expect(logged.contains("PUT /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cops-vigilante"))
    }

    @Test func getOfAMissingLease_isNotFound() async throws {
        let fake = try await FakeAPIServer.start()
        let client = try TestClients.client(kubeconfig: fake.kubeconfig())
        let error = await caught { () async throws(KubernetesError) in
            try await client.getLease(named: "cops-vigilante", namespace: "kube-system")
        }
        #expect(error?.caseName == "notFound")
    }
}
