/// A kubeconfig file as kubectl writes it (`clientcmd/api/v1`), decoded only as far as this client uses it.
struct Kubeconfig: Decodable {
    var currentContext: String?
    var clusters: [NamedCluster]?
    var users: [NamedUser]?
    var contexts: [NamedContext]?

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case clusters, users, contexts
    }

    struct NamedCluster: Decodable {
        var name: String
        var cluster: Cluster?
    }

    struct Cluster: Decodable {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }

    struct NamedUser: Decodable {
        var name: String
        var user: User?
    }

    struct User: Decodable {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        /// Present only to name it in the error: exec plugins (kubelogin) and auth providers are not supported.
        var exec: Ignored?
        var authProvider: Ignored?
        var username: String?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile, exec, username
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case authProvider = "auth-provider"
        }
    }

    struct NamedContext: Decodable {
        var name: String
        var context: Context?
    }

    struct Context: Decodable {
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    /// Any value; only its presence is recorded.
    struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
