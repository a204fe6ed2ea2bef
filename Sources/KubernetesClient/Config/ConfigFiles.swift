import Foundation

/// Reading the files and inline data a cluster config names, with errors that name the config file and field.
enum ConfigFiles {
    static func read(_ path: String, file: String, field: String?) throws(ClusterConfigError) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(filePath: path)))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? "\(error)"
            let subject = field == nil ? "cannot be read" : "\(path) cannot be read"
            throw ClusterConfigError(file: file, field: field, problem: "\(subject): \(reason)")
        }
    }

    /// `*-data` fields are base64 of the PEM text.
    static func base64(_ text: String, file: String, field: String) throws(ClusterConfigError) -> [UInt8] {
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters), !data.isEmpty else {
            throw ClusterConfigError(file: file, field: field, problem: "is not valid base64")
        }
        return [UInt8](data)
    }

    /// Refuses bytes without a `-----BEGIN … <marker>-----` block, so a wrong file fails at start, not at the
    /// first TLS handshake.
    static func requirePEM(
        _ bytes: [UInt8]?, _ marker: String, file: String, field: String
    )
        throws(ClusterConfigError)
    {
        guard let bytes else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("-----BEGIN "), text.contains("\(marker)-----") else {
            throw ClusterConfigError(file: file, field: field, problem: "does not hold a PEM \(marker.lowercased())")
        }
    }
}
