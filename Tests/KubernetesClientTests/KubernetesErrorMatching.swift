import Kubernetes

/// The error `body` throws, or `nil` when it returns.
func caught<Value>(_ body: () async throws(KubernetesError) -> Value) async -> KubernetesError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

extension KubernetesError {
    /// The case's name (`notFound`, `alreadyExists`, …), to compare in expectations.
    var caseName: String {
        Mirror(reflecting: self).children.first?.label ?? "\(self)"
    }
}
