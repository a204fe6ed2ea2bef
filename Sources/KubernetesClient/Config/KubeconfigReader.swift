import Foundation
import Yams

/// Turns one kubeconfig file into a `ClusterConfig`: the current context, its cluster and user, with every file
/// it names read now (relative paths are relative to the kubeconfig's directory, as kubectl resolves them).
/// Anything that cannot work fails here, naming the file and field.
struct KubeconfigReader {
    let path: String

    func read() throws(ClusterConfigError) -> ClusterConfig {
        let text = String(decoding: try ConfigFiles.read(path, file: path, field: nil), as: UTF8.self)
        guard !text.allSatisfy(\.isWhitespace) else { throw fail(nil, "is empty") }
        let config: Kubeconfig
        do {
            config = try YAMLDecoder().decode(Kubeconfig.self, from: text)
        } catch let error as DecodingError {
            throw Self.describe(error, file: path)
        } catch {
            throw fail(nil, "is not a valid kubeconfig (YAML): \(error)")
        }

        guard let contextName = config.currentContext, !contextName.isEmpty else {
            throw fail("current-context", "is not set; set it with `kubectl config use-context NAME`")
        }
        guard let context = config.contexts?.first(where: { $0.name == contextName }) else {
            let known = (config.contexts ?? []).map(\.name).joined(separator: ", ")
            throw fail(
                "current-context", "names context \"\(contextName)\", which is not in contexts (known: \(known))")
        }
        let contextField = "contexts[name=\"\(contextName)\"].context"
        guard let clusterName = context.context?.cluster, !clusterName.isEmpty else {
            throw fail("\(contextField).cluster", "is not set")
        }
        guard let cluster = config.clusters?.first(where: { $0.name == clusterName })?.cluster else {
            throw fail("\(contextField).cluster", "names cluster \"\(clusterName)\", which is not in clusters")
        }
        var result = try readCluster(cluster, field: "clusters[name=\"\(clusterName)\"].cluster")
        result.origin = "kubeconfig \(path) (context \(contextName))"
        if let namespace = context.context?.namespace, !namespace.isEmpty {
            result.namespace = namespace
        }
        if let userName = context.context?.user, !userName.isEmpty {
            guard let user = config.users?.first(where: { $0.name == userName }) else {
                throw fail("\(contextField).user", "names user \"\(userName)\", which is not in users")
            }
            try readUser(user.user, field: "users[name=\"\(userName)\"].user", into: &result)
        }
        return result
    }

    private func readCluster(_ cluster: Kubeconfig.Cluster, field: String) throws(ClusterConfigError) -> ClusterConfig {
        guard let server = cluster.server?.trimmingCharacters(in: .whitespaces), !server.isEmpty else {
            throw fail("\(field).server", "is not set: the API server's URL is needed")
        }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw fail("\(field).server", "\"\(server)\" is not an https:// or http:// URL")
        }
        let insecure = cluster.insecureSkipTLSVerify ?? false
        let certificateAuthority = try pem(
            data: cluster.certificateAuthorityData, file: cluster.certificateAuthority,
            field: "\(field).certificate-authority", marker: "CERTIFICATE")
        if insecure, certificateAuthority != nil {
            // kubectl refuses this combination too: the CA would silently not be checked.
            throw fail("\(field).insecure-skip-tls-verify", "cannot be true together with a certificate-authority")
        }
        return ClusterConfig(
            server: String(server.trimmingSuffix("/")), certificateAuthorityPEM: certificateAuthority,
            insecureSkipTLSVerify: insecure, origin: path)
    }

    private func readUser(
        _ user: Kubeconfig.User?, field: String, into config: inout ClusterConfig
    )
        throws(ClusterConfigError)
    {
        guard let user else { return }
        let certificate = try pem(
            data: user.clientCertificateData, file: user.clientCertificate, field: "\(field).client-certificate",
            marker: "CERTIFICATE")
        let key = try pem(
            data: user.clientKeyData, file: user.clientKey, field: "\(field).client-key", marker: "PRIVATE KEY")
        switch (certificate, key) {
        case (.some, nil):
            throw fail("\(field).client-key", "is not set, but client-certificate is: a certificate needs its key")
        case (nil, .some):
            throw fail("\(field).client-certificate", "is not set, but client-key is: a key needs its certificate")
        default:
            config.clientCertificatePEM = certificate
            config.clientKeyPEM = key
        }
        // As client-go: a token file, when given, wins over an inline token (it is the one that gets rotated).
        if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
            let resolved = resolve(tokenFile)
            let token = try ConfigFiles.read(resolved, file: path, field: "\(field).tokenFile")
            guard !String(decoding: token, as: UTF8.self).allSatisfy(\.isWhitespace) else {
                throw fail("\(field).tokenFile", "\(resolved) is empty")
            }
            if let problem = BearerToken.problem(with: BearerToken.fromFile(token)) {
                throw fail("\(field).tokenFile", "\(resolved) \(problem)")
            }
            config.token = .file(path: resolved)
        } else if let token = user.token, !token.isEmpty {
            if let problem = BearerToken.problem(with: token) { throw fail("\(field).token", problem) }
            config.token = .value(token)
        }
        if config.token == .none, certificate == nil, user.exec != nil || user.authProvider != nil {
            throw fail(
                user.exec != nil ? "\(field).exec" : "\(field).auth-provider",
                "credential plugins are not supported; use a token, a tokenFile or a client certificate")
        }
    }

    private func pem(
        data: String?, file: String?, field: String, marker: String
    ) throws(ClusterConfigError)
        -> [UInt8]?
    {
        if let data, !data.isEmpty {
            let bytes = try ConfigFiles.base64(data, file: path, field: "\(field)-data")
            try ConfigFiles.requirePEM(bytes, marker, file: path, field: "\(field)-data")
            return bytes
        }
        guard let file, !file.isEmpty else { return nil }
        let bytes = try ConfigFiles.read(resolve(file), file: path, field: field)
        try ConfigFiles.requirePEM(bytes, marker, file: path, field: field)
        return bytes
    }

    /// A path from the kubeconfig, relative to the kubeconfig's directory unless absolute.
    private func resolve(_ file: String) -> String {
        if file.hasPrefix("/") { return file }
        let directory = URL(filePath: path).deletingLastPathComponent().path
        return URL(filePath: directory).appending(path: file).path
    }

    private func fail(_ field: String?, _ problem: String) -> ClusterConfigError {
        ClusterConfigError(file: path, field: field, problem: problem)
    }

    /// A Decodable error as the field it is about (`clusters[0].cluster.server`) and what was wrong.
    static func describe(_ error: DecodingError, file: String) -> ClusterConfigError {
        let context: DecodingError.Context
        var problem: String
        switch error {
        case .typeMismatch(let type, let found):
            context = found
            problem = "has the wrong type (expected \(type))"
        case .valueNotFound(let type, let found):
            context = found
            problem = "is missing (expected \(type))"
        case .keyNotFound(let key, let found):
            context = found
            problem = "misses \"\(key.stringValue)\""
        case .dataCorrupted(let found):
            context = found
            problem = "is not valid: \(found.debugDescription)"
        @unknown default:
            return ClusterConfigError(file: file, problem: "is not a valid kubeconfig: \(error)")
        }
        let field = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
            .joined().trimmingPrefix(".")
        if field.isEmpty { problem = "is not a valid kubeconfig: " + context.debugDescription }
        return ClusterConfigError(file: file, field: field.isEmpty ? nil : String(field), problem: problem)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: Character) -> Substring {
        var text = self[...]
        while text.last == suffix { text.removeLast() }
        return text
    }
}
