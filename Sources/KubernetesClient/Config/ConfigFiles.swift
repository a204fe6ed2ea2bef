import CLinuxEvents
import Foundation

/// Reading the files and inline data a cluster config names, with errors that name the config file and field.
enum ConfigFiles {
    /// Kubeconfigs, CA bundles and tokens are KB; a file larger than this is not one of them.
    static let maximumFileBytes = 4 * 1024 * 1024

    /// The file's bytes, or an error naming the real cause ("No such file or directory", "Too many levels of
    /// symbolic links", "is a FIFO, not a regular file": a FIFO or /dev/zero is never read, either could hang).
    static func read(_ path: String, file: String, field: String?) throws(ClusterConfigError) -> [UInt8] {
        switch readRegularFile(path) {
        case .success(let bytes): return bytes
        case .failure(let reason):
            let subject = field == nil ? "cannot be read" : "\(path) cannot be read"
            throw ClusterConfigError(file: file, field: field, problem: "\(subject): \(reason.text)")
        }
    }

    struct Unreadable: Error {
        var text: String
    }

    /// The bytes of the regular file at `path` (at most `maximumFileBytes`), or why not.
    static func readRegularFile(_ path: String) -> Result<[UInt8], Unreadable> {
        var data: UnsafeMutablePointer<UInt8>?
        var length = 0
        var why = [CChar](repeating: 0, count: 256)
        let error = vigilante_read_regular_file(path, maximumFileBytes, &data, &length, &why, why.count)
        defer { free(data) }
        guard error == 0 else {
            let reason = String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(Unreadable(text: reason))
        }
        guard let data else { return .success([]) }
        return .success(Array(UnsafeBufferPointer(start: data, count: length)))
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
