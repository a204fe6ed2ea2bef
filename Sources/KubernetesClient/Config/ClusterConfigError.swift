/// A cluster config that cannot work, found at start: names the file, the field and what is wrong, e.g.
/// `/home/me/.kube/config: users[name="aks"].user.client-key: client-certificate is set but no key`.
public struct ClusterConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kubeconfig, the service-account directory, or the environment variable that was read.
    public var file: String
    /// The field within it, in kubectl's spelling; `nil` when the whole file is at fault.
    public var field: String?
    public var problem: String

    public init(file: String, field: String? = nil, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        if let field { return "\(file): \(field): \(problem)" }
        return "\(file): \(problem)"
    }
}
