internal import CLinuxEvents
internal import COpenSSL
import Foundation

/// A certificate chain and its private key, read from PEM files into memory and checked: the key matches the
/// leaf, the key is RSA of at least 2048 bits or ECDSA on P-256 or P-384. PKCS#8, SEC1 ("EC PRIVATE KEY") and
/// PKCS#1 ("RSA PRIVATE KEY") keys are read alike.
public struct CertificatePair: Sendable, Equatable {
    public var certificatePEM: [UInt8]
    public var keyPEM: [UInt8]

    public init(certificatePEM: [UInt8], keyPEM: [UInt8]) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }

    /// Reads both files, following symlinks (a mounted Secret's `..data` link). The error names the file.
    public static func read(certificateFile: String, keyFile: String) throws(TLSError) -> CertificatePair {
        CertificatePair(
            certificatePEM: try readFile(certificateFile, role: "certificate"),
            keyPEM: try readFile(keyFile, role: "key"))
    }

    /// A PEM file of a certificate chain or key is a few KB; a larger one is not one.
    static let maximumFileBytes = 1024 * 1024

    /// The file's bytes, or an error with the real cause: "no such file", "too many levels of symbolic links",
    /// "permission denied", "is a FIFO, not a regular file" (never read: it could block the reloader for good).
    static func readFile(_ path: String, role: String) throws(TLSError) -> [UInt8] {
        var data: UnsafeMutablePointer<UInt8>?
        var length = 0
        var why = [CChar](repeating: 0, count: 256)
        let error = vigilante_read_regular_file(path, maximumFileBytes, &data, &length, &why, why.count)
        defer { free(data) }
        guard error == 0 else {
            let reason = String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TLSError("cannot read the \(role) file \(path): \(error == ENOENT ? "no such file" : reason)")
        }
        guard let data, length > 0 else { throw TLSError("the \(role) file \(path) is empty") }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }
}

/// Parsed OpenSSL objects of a `CertificatePair`, owned here and freed in `deinit`.
final class LoadedCertificates {
    let leaf: OpaquePointer
    let chain: [OpaquePointer]
    let key: OpaquePointer
    /// The leaf's notAfter, seconds since 1970.
    let notAfter: Int64

    init(_ pair: CertificatePair) throws(TLSError) {
        ERR_clear_error()
        var certificates: [OpaquePointer] = []
        let parsed: Bool = pair.certificatePEM.withUnsafeBytes { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return false }
            defer { BIO_free(bio) }
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) { certificates.append(certificate) }
            ERR_clear_error()  // the loop ends on a "no start line" error at the end of the file
            return true
        }
        guard parsed, let leaf = certificates.first else {
            certificates.forEach { X509_free($0) }
            throw TLSError("the certificate file holds no PEM certificate")
        }
        var askedPassphrase: Int32 = 0
        let key: OpaquePointer? = pair.keyPEM.withUnsafeBytes { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            return vigilante_read_private_key(bio, &askedPassphrase)
        }
        guard let key else {
            certificates.forEach { X509_free($0) }
            if askedPassphrase != 0 {
                ERR_clear_error()
                throw TLSError(
                    "the key file holds an encrypted private key: encrypted private keys are not supported "
                        + "(decrypt it, for example with openssl pkey -in KEY -out KEY.plain)")
            }
            throw TLSError.fromQueue(
                "the key file holds no readable PEM private key (PKCS#8, SEC1 or PKCS#1, unencrypted)")
        }
        self.leaf = leaf
        self.chain = Array(certificates.dropFirst())
        self.key = key
        self.notAfter = Int64(vigilante_x509_not_after_epoch(leaf))
        try checkKeyStrength()
        guard X509_check_private_key(leaf, key) == 1 else {
            ERR_clear_error()
            throw TLSError("the private key does not match the certificate")
        }
    }

    deinit {
        X509_free(leaf)
        chain.forEach { X509_free($0) }
        EVP_PKEY_free(key)
    }

    private func checkKeyStrength() throws(TLSError) {
        let bits = EVP_PKEY_get_bits(key)
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            guard bits >= 2048 else { throw TLSError("the RSA key has \(bits) bits; at least 2048 are required") }
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            EVP_PKEY_get_group_name(key, &name, name.count, &length)
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard group == "prime256v1" || group == "secp384r1" else {
                throw TLSError(
                    "the ECDSA key is on curve \(group); P-256 (prime256v1) or P-384 (secp384r1) is required")
            }
        default:
            throw TLSError("the key is neither RSA nor ECDSA")
        }
    }
}
