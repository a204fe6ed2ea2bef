import Foundation
import HTTPServer
import TestSupport
import Testing

/// Loading certificate pairs: the key formats and algorithms a cert-manager or hand-made pair may use, and the
/// refusals an operator must be told about.
@Suite struct TLSContextTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    @Test(arguments: [
        (TestCertificates.KeyKind.ecdsaP256, TestCertificates.KeyEncoding.pkcs8),
        (.ecdsaP256, .traditional),  // SEC1
        (.ecdsaP384, .pkcs8),
        (.rsa2048, .pkcs8),
        (.rsa2048, .traditional),  // PKCS#1
    ])
    func supportedKey_loads(kind: TestCertificates.KeyKind, encoding: TestCertificates.KeyEncoding) throws {
        let (certificate, key) = try certificates.issue("server", key: kind, encoding: encoding)
        let context = try TLSContext(certificateFile: certificate, keyFile: key)
        #expect(context.notAfter > 0)
    }

    @Test func chainFile_withIntermediate_loads() throws {
        let (certificate, key) = try certificates.issue("server")
        let chain =
            try String(contentsOfFile: certificate, encoding: .utf8)
            + String(contentsOfFile: certificates.caCertificate, encoding: .utf8)
        let chainFile = try certificates.directory.write("chain.crt", chain)
        #expect(throws: Never.self) { try TLSContext(certificateFile: chainFile, keyFile: key) }
    }

    @Test func rsa1024_isRefusedAsTooWeak() throws {
        let (certificate, key) = try certificates.issue("weak", key: .rsa1024)
        let error = #expect(throws: TLSError.self) { try TLSContext(certificateFile: certificate, keyFile: key) }
        #expect(
            error?.description.contains("1024 bits; at least 2048 are required") == true, "\(String(describing: error))"
        )
    }

    @Test func p521_isRefused() throws {
        let (certificate, key) = try certificates.issue("p521", key: .ecdsaP521)
        let error = #expect(throws: TLSError.self) { try TLSContext(certificateFile: certificate, keyFile: key) }
        #expect(error?.description.contains("P-256 (prime256v1) or P-384 (secp384r1) is required") == true)
    }

    @Test func keyOfAnotherCertificate_isRefused() throws {
        let (certificate, _) = try certificates.issue("one")
        let (_, otherKey) = try certificates.issue("two")
        let error = #expect(throws: TLSError.self) { try TLSContext(certificateFile: certificate, keyFile: otherKey) }
        #expect(error?.description.contains("the private key does not match the certificate") == true)
    }

    @Test func missingFile_isNamed() throws {
        let (_, key) = try certificates.issue("server")
        let error = #expect(throws: TLSError.self) {
            try TLSContext(certificateFile: "/nonexistent/tls.crt", keyFile: key)
        }
        #expect(error?.description == "cannot read the certificate file /nonexistent/tls.crt: no such file")
    }

    /// Without a passphrase callback OpenSSL would prompt on the terminal (start-up hangs); the key is refused.
    @Test(arguments: [["pkey", "-aes256"], ["ec", "-aes256"]])
    func encryptedKey_isRefusedAsUnsupported_namingTheFile(conversion: [String]) throws {
        let (certificate, key) = try certificates.issue("server", encoding: .traditional)
        let encrypted = certificates.directory.path("encrypted.key")
        try TestCertificates.openssl(conversion + ["-in", key, "-out", encrypted, "-passout", "pass:secret"])
        let error = #expect(throws: TLSError.self) { try TLSContext(certificateFile: certificate, keyFile: encrypted) }
        #expect(
            error?.description.contains(
                "encrypted.key: the key file holds an encrypted private key: encrypted "
                    + "private keys are not supported") == true, "\(String(describing: error))")
    }

    @Test func aSymlinkLoopOrAFIFO_isNamedForWhatItIs() throws {
        let (certificate, key) = try certificates.issue("server")
        let loop = certificates.directory.path("loop.crt")
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        let loopError = #expect(throws: TLSError.self) { try TLSContext(certificateFile: loop, keyFile: key) }
        #expect(
            loopError?.description == "cannot read the certificate file \(loop): Too many levels of symbolic links")

        let fifo = certificates.directory.path("key.fifo")
        try #require(mkfifo(fifo, 0o600) == 0)
        let fifoError = #expect(throws: TLSError.self) { try TLSContext(certificateFile: certificate, keyFile: fifo) }
        #expect(fifoError?.description == "cannot read the key file \(fifo): is a FIFO, not a regular file")
    }

    @Test func garbageCertificate_isRefused() throws {
        let (_, key) = try certificates.issue("server")
        let garbage = try certificates.directory.write("garbage.crt", "not a certificate\n")
        let error = #expect(throws: TLSError.self) { try TLSContext(certificateFile: garbage, keyFile: key) }
        #expect(error?.description.contains("holds no PEM certificate") == true)
    }
}
