/// The config of a pod's own service account: the API server from `KUBERNETES_SERVICE_HOST`/`_PORT`, and the
/// token, CA and namespace files the kubelet mounts (the token is a bound token the kubelet rotates, so it is
/// kept as a file that the client re-reads).
struct InClusterConfig {
    let environment: [String: String]
    let directory: String

    /// Whether the environment says this runs in a pod.
    var isAvailable: Bool {
        !(environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty
    }

    func read() throws(ClusterConfigError) -> ClusterConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw ClusterConfigError(file: "environment", field: "KUBERNETES_SERVICE_HOST", problem: "is not set")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"], let number = Int(port), (1...65535).contains(number)
        else {
            let value = environment["KUBERNETES_SERVICE_PORT"] ?? ""
            throw ClusterConfigError(
                file: "environment", field: "KUBERNETES_SERVICE_PORT", problem: "\"\(value)\" is not a port number")
        }
        // An IPv6 service address needs brackets in a URL.
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let tokenPath = "\(directory)/token"
        let token = try ConfigFiles.read(tokenPath, file: directory, field: "token")
        guard !String(decoding: token, as: UTF8.self).allSatisfy(\.isWhitespace) else {
            throw ClusterConfigError(file: directory, field: "token", problem: "is empty")
        }
        if let problem = BearerToken.problem(with: BearerToken.fromFile(token)) {
            throw ClusterConfigError(file: directory, field: "token", problem: problem)
        }
        let certificateAuthority = try ConfigFiles.read("\(directory)/ca.crt", file: directory, field: "ca.crt")
        try ConfigFiles.requirePEM(certificateAuthority, "CERTIFICATE", file: directory, field: "ca.crt")
        // The namespace file is optional: without it the pod's namespace is unknown and `default` is assumed.
        var namespace = "default"
        if let bytes = try? ConfigFiles.read("\(directory)/namespace", file: directory, field: "namespace") {
            let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
            if !text.isEmpty { namespace = text }
        }
        return ClusterConfig(
            server: "https://\(hostPart):\(number)", certificateAuthorityPEM: certificateAuthority,
            token: .file(path: tokenPath), namespace: namespace, origin: "in-cluster service account \(directory)")
    }
}
