import Foundation

/// Throw-away certificates and keys made at test time with the `openssl` command (never committed):
/// a CA and server certificates signed by it, for `localhost`, `127.0.0.1` and `::1`.
public struct TestCertificates {
    public enum KeyKind: String, Sendable {
        case ecdsaP256 = "EC:prime256v1"
        case ecdsaP384 = "EC:secp384r1"
        case ecdsaP521 = "EC:secp521r1"
        case rsa2048 = "RSA:2048"
        case rsa1024 = "RSA:1024"
    }

    /// How the key file is written.
    public enum KeyEncoding: Sendable {
        /// `BEGIN PRIVATE KEY`.
        case pkcs8
        /// `BEGIN EC PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`.
        case traditional
    }

    public let directory: TemporaryDirectory
    public let caCertificate: String
    private let caKey: String

    /// Makes a new CA in a new temporary directory.
    public init(commonName: String = "vigilante-test-ca") throws {
        directory = try TemporaryDirectory()
        caKey = directory.path("ca.key")
        caCertificate = directory.path("ca.crt")
        try Self.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", caKey])
        try Self.openssl([
            "req", "-x509", "-new", "-key", caKey, "-subj", "/CN=\(commonName)", "-days", "2", "-out", caCertificate,
        ])
    }

    /// A server (or client) certificate signed by this CA; returns the paths of the certificate and key.
    public func issue(
        _ name: String, key kind: KeyKind = .ecdsaP256, encoding: KeyEncoding = .pkcs8, days: Int = 1,
        clientAuth: Bool = false
    ) throws -> (certificate: String, key: String) {
        let key = directory.path("\(name).key")
        let request = directory.path("\(name).csr")
        let certificate = directory.path("\(name).crt")
        let extensions = directory.path("\(name).ext")
        let parts = kind.rawValue.split(separator: ":")
        let option = parts[0] == "RSA" ? "rsa_keygen_bits:\(parts[1])" : "ec_paramgen_curve:\(parts[1])"
        try Self.openssl(["genpkey", "-algorithm", String(parts[0]), "-pkeyopt", option, "-out", key])
        if encoding == .traditional {
            // `openssl ec` writes SEC1 by default; `openssl rsa` needs -traditional for PKCS#1.
            let conversion =
                parts[0] == "RSA" ? ["rsa", "-in", key, "-out", key, "-traditional"] : ["ec", "-in", key, "-out", key]
            try Self.openssl(conversion)
        }
        try Self.openssl(["req", "-new", "-key", key, "-subj", "/CN=\(name)", "-out", request])
        let usage = clientAuth ? "extendedKeyUsage=clientAuth" : "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
        try usage.write(toFile: extensions, atomically: true, encoding: .utf8)
        try Self.openssl([
            "x509", "-req", "-in", request, "-CA", caCertificate, "-CAkey", caKey, "-CAcreateserial", "-days",
            "\(days)",
            "-extfile", extensions, "-out", certificate,
        ])
        return (certificate, key)
    }

    /// Runs `openssl` with `arguments`; throws with its output when it fails.
    public static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpenSSLCommandError(arguments: arguments, output: String(decoding: data, as: UTF8.self))
        }
    }

    public struct OpenSSLCommandError: Error, CustomStringConvertible {
        public var arguments: [String]
        public var output: String
        public var description: String { "openssl \(arguments.joined(separator: " ")) failed: \(output)" }
    }
}
