import Foundation
import KubernetesClient
import TestSupport
import Testing

/// Reading kubeconfig files: every supported field, relative paths, and an error naming file and field for
/// each config that cannot work.
@Suite struct KubeconfigTests {
    static let certificatePEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"
    static let keyPEM = "-----BEGIN PRIVATE KEY-----\nMIGHfake\n-----END PRIVATE KEY-----\n"

    /// A kubeconfig with one context `ctx`, cluster `c` and user `u`, with the given fields.
    static func kubeconfig(cluster: [String], user: [String], context: [String] = [], current: String = "ctx") -> String
    {
        """
        apiVersion: v1
        kind: Config
        current-context: \(current)
        clusters:
        - name: c
          cluster:
        \(cluster.map { "    \($0)" }.joined(separator: "\n"))
        users:
        - name: u
          user:
        \(user.isEmpty ? "    {}" : user.map { "    \($0)" }.joined(separator: "\n"))
        contexts:
        - name: other
          context: {cluster: c}
        - name: ctx
          context:
            cluster: c
            user: u
        \(context.map { "    \($0)" }.joined(separator: "\n"))
        """
    }

    static func load(
        _ text: String, in directory: TemporaryDirectory, name: String = "config"
    ) throws(ClusterConfigError)
        -> ClusterConfig
    {
        let path = (try? directory.write(name, text)) ?? ""
        return try ClusterConfigLoader(explicitPath: path, environment: [:]).load()
    }

    static func error(_ text: String, in directory: TemporaryDirectory) -> ClusterConfigError? {
        do {
            _ = try load(text, in: directory)
            return nil
        } catch {
            return error
        }
    }

    @Test func tokenKubeconfig_givesServerTokenAndDefaultNamespace() throws {
        let directory = try TemporaryDirectory()

        let config = try Self.load(
            Self.kubeconfig(cluster: ["server: https://10.0.0.1:443/"], user: ["token: abc"]), in: directory)

        #expect(config.server == "https://10.0.0.1:443")
        #expect(config.token == .value("abc"))
        #expect(config.namespace == "default")
        #expect(config.certificateAuthorityPEM == nil)
        #expect(config.origin == "kubeconfig \(directory.path("config")) (context ctx)")
    }

    @Test func relativePaths_areRelativeToTheKubeconfigsDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("sub/certs/ca.crt", Self.certificatePEM)
        try directory.write("sub/certs/client.crt", Self.certificatePEM)
        try directory.write("sub/certs/client.key", Self.keyPEM)
        try directory.write("sub/token", "from-file\n")
        let text = Self.kubeconfig(
            cluster: ["server: https://k8s", "certificate-authority: certs/ca.crt"],
            user: ["client-certificate: certs/client.crt", "client-key: certs/client.key", "tokenFile: token"])

        let config = try Self.load(text, in: directory, name: "sub/config")

        #expect(config.certificateAuthorityPEM == Array(Self.certificatePEM.utf8))
        #expect(config.clientCertificatePEM == Array(Self.certificatePEM.utf8))
        #expect(config.clientKeyPEM == Array(Self.keyPEM.utf8))
        #expect(config.token == .file(path: directory.path("sub/token")))
    }

    @Test func inlineData_isBase64OfThePEM() throws {
        let directory = try TemporaryDirectory()
        let ca = Data(Self.certificatePEM.utf8).base64EncodedString()
        let key = Data(Self.keyPEM.utf8).base64EncodedString()
        let text = Self.kubeconfig(
            cluster: ["server: https://k8s", "certificate-authority-data: \(ca)"],
            user: ["client-certificate-data: \(ca)", "client-key-data: \(key)"])

        let config = try Self.load(text, in: directory)

        #expect(config.certificateAuthorityPEM == Array(Self.certificatePEM.utf8))
        #expect(config.clientKeyPEM == Array(Self.keyPEM.utf8))
        #expect(config.token == .none)
    }

    @Test func contextNamespace_andInsecureSkipTLSVerify_areRead() throws {
        let directory = try TemporaryDirectory()
        let text = Self.kubeconfig(
            cluster: ["server: https://k8s", "insecure-skip-tls-verify: true"], user: [], context: ["namespace: team-a"]
        )

        let config = try Self.load(text, in: directory)

        #expect(config.namespace == "team-a")
        #expect(config.insecureSkipTLSVerify)
    }

    @Test func description_showsNoTokenAndNoKey() throws {
        let directory = try TemporaryDirectory()
        let key = Data(Self.keyPEM.utf8).base64EncodedString()
        let ca = Data(Self.certificatePEM.utf8).base64EncodedString()
        let text = Self.kubeconfig(
            cluster: ["server: https://k8s"],
            user: ["token: very-secret", "client-certificate-data: \(ca)", "client-key-data: \(key)"])

        let description = "\(try Self.load(text, in: directory))"

        #expect(!description.contains("very-secret"))
        #expect(!description.contains("MIGHfake"))
        #expect(description.contains("https://k8s"))
    }

    // MARK: Errors

    @Test func noServer_namesTheClustersServerField() throws {
        let directory = try TemporaryDirectory()

        let error = Self.error(Self.kubeconfig(cluster: ["insecure-skip-tls-verify: true"], user: []), in: directory)

        #expect(error?.file == directory.path("config"))
        #expect(error?.field == #"clusters[name="c"].cluster.server"#)
    }

    @Test func serverThatIsNotAURL_isRefused() throws {
        let directory = try TemporaryDirectory()

        let error = Self.error(Self.kubeconfig(cluster: ["server: 10.0.0.1:443"], user: []), in: directory)

        #expect(error?.field == #"clusters[name="c"].cluster.server"#)
        #expect(error?.problem.contains("https://") == true)
    }

    @Test func unreadableCA_namesTheFieldAndThePath() throws {
        let directory = try TemporaryDirectory()
        let text = Self.kubeconfig(
            cluster: ["server: https://k8s", "certificate-authority: /no/such/ca.crt"], user: [])

        let error = Self.error(text, in: directory)

        #expect(error?.field == #"clusters[name="c"].cluster.certificate-authority"#)
        #expect(error?.problem.contains("/no/such/ca.crt") == true)
    }

    /// A FIFO or a device named as a file is never read (a FIFO could block for ever, /dev/zero never ends), and
    /// the error says what it is instead of "permission denied".
    @Test func aFIFOOrADeviceAsCAOrToken_isNamedForWhatItIs() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("ca.fifo")
        try #require(mkfifo(fifo, 0o600) == 0)
        let withFIFO = Self.kubeconfig(cluster: ["server: https://k8s", "certificate-authority: \(fifo)"], user: [])
        let fifoError = Self.error(withFIFO, in: directory)
        #expect(
            fifoError?.problem.contains("is a FIFO, not a regular file") == true, "\(String(describing: fifoError))")

        let withZero = Self.kubeconfig(cluster: ["server: https://k8s"], user: ["tokenFile: /dev/zero"])
        let zeroError = Self.error(withZero, in: directory)
        #expect(zeroError?.field == #"users[name="u"].user.tokenFile"#)
        #expect(
            zeroError?.problem.contains("is a character device, not a regular file") == true,
            "\(String(describing: zeroError))")
    }

    @Test func aSymlinkLoop_isNamedAsOne() throws {
        let directory = try TemporaryDirectory()
        let loop = directory.path("loop.crt")
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        let text = Self.kubeconfig(cluster: ["server: https://k8s", "certificate-authority: \(loop)"], user: [])
        let error = Self.error(text, in: directory)
        #expect(error?.problem.contains("Too many levels of symbolic links") == true, "\(String(describing: error))")
    }

    @Test func caFileThatIsNotPEM_isRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("ca.crt", "not a certificate")
        let text = Self.kubeconfig(cluster: ["server: https://k8s", "certificate-authority: ca.crt"], user: [])

        let error = Self.error(text, in: directory)

        #expect(error?.field == #"clusters[name="c"].cluster.certificate-authority"#)
        #expect(error?.problem == "does not hold a PEM certificate")
    }

    @Test func clientCertificateWithoutKey_namesTheKeyField() throws {
        let directory = try TemporaryDirectory()
        let ca = Data(Self.certificatePEM.utf8).base64EncodedString()
        let text = Self.kubeconfig(cluster: ["server: https://k8s"], user: ["client-certificate-data: \(ca)"])

        let error = Self.error(text, in: directory)

        #expect(error?.field == #"users[name="u"].user.client-key"#)
        #expect(error?.problem.contains("needs its key") == true)
    }

    @Test func unknownCurrentContext_namesCurrentContext() throws {
        let directory = try TemporaryDirectory()

        let error = Self.error(
            Self.kubeconfig(cluster: ["server: https://k8s"], user: [], current: "prod"), in: directory)

        #expect(error?.field == "current-context")
        #expect(error?.problem.contains(#"names context "prod""#) == true)
        #expect(error?.problem.contains("other, ctx") == true)
    }

    @Test func missingCurrentContext_isAnError() throws {
        let directory = try TemporaryDirectory()

        let error = Self.error(
            Self.kubeconfig(cluster: ["server: https://k8s"], user: [], current: "\"\""), in: directory)

        #expect(error?.field == "current-context")
    }

    @Test func invalidBase64_namesTheDataField() throws {
        let directory = try TemporaryDirectory()
        let text = Self.kubeconfig(cluster: ["server: https://k8s", "certificate-authority-data: '***'"], user: [])

        let error = Self.error(text, in: directory)

        #expect(error?.field == #"clusters[name="c"].cluster.certificate-authority-data"#)
        #expect(error?.problem == "is not valid base64")
    }

    @Test func execPlugin_isRefusedWithWhatToUseInstead() throws {
        let directory = try TemporaryDirectory()
        let text = Self.kubeconfig(
            cluster: ["server: https://k8s"],
            user: ["exec:", "  apiVersion: client.authentication.k8s.io/v1beta1", "  command: kubelogin"])

        let error = Self.error(text, in: directory)

        #expect(error?.field == #"users[name="u"].user.exec"#)
        #expect(error?.problem.contains("tokenFile") == true)
    }

    /// A CR or LF inside a token would be sent as headers of the file's choosing; refused as client-go refuses it.
    @Test func tokenWithALineBreak_isRefused_inlineOrInAFile() throws {
        let directory = try TemporaryDirectory()
        let inline = Self.kubeconfig(
            cluster: ["server: https://k8s"], user: [#"token: "abc\r\nX-Injected: 1""#])
        let inlineError = Self.error(inline, in: directory)
        #expect(inlineError?.field == #"users[name="u"].user.token"#)
        #expect(inlineError?.problem.contains("carriage return (CR)") == true, "\(String(describing: inlineError))")

        try directory.write("token", "abc\nX-Injected: 1\n")
        let fromFile = Self.kubeconfig(cluster: ["server: https://k8s"], user: ["tokenFile: token"])
        let fileError = Self.error(fromFile, in: directory)
        #expect(fileError?.field == #"users[name="u"].user.tokenFile"#)
        #expect(fileError?.problem.contains("line feed (LF)") == true, "\(String(describing: fileError))")

        try directory.write("token", "abc\n")
        #expect(throws: Never.self) { try Self.load(fromFile, in: directory) }
    }

    @Test func insecureTogetherWithACA_isRefused() throws {
        let directory = try TemporaryDirectory()
        let ca = Data(Self.certificatePEM.utf8).base64EncodedString()
        let text = Self.kubeconfig(
            cluster: ["server: https://k8s", "certificate-authority-data: \(ca)", "insecure-skip-tls-verify: true"],
            user: [])

        #expect(Self.error(text, in: directory)?.field == #"clusters[name="c"].cluster.insecure-skip-tls-verify"#)
    }

    @Test func wrongType_namesTheField() throws {
        let directory = try TemporaryDirectory()
        let text = Self.kubeconfig(cluster: ["server: https://k8s", "insecure-skip-tls-verify: [1]"], user: [])

        let error = Self.error(text, in: directory)

        #expect(error?.field?.hasPrefix("clusters[0].cluster.insecure-skip-tls-verify") == true)
    }

    @Test func emptyFile_isAnError() throws {
        let directory = try TemporaryDirectory()

        #expect(Self.error("\n", in: directory)?.problem == "is empty")
    }

    @Test func description_namesFileFieldAndProblem() {
        let error = ClusterConfigError(file: "/k", field: "current-context", problem: "is not set")

        #expect(error.description == "/k: current-context: is not set")
    }
}
