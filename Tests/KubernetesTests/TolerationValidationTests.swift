import Kubernetes
import Testing

/// The API server's toleration rules, checked before any pod is created.
@Suite struct TolerationValidationTests {
    @Test(arguments: [
        Toleration(operator: .exists),
        Toleration(key: "sku", operator: .equal, value: "windows", effect: .noSchedule),
        Toleration(key: "kubernetes.azure.com/scalesetpriority", value: "spot"),
        Toleration(key: "node.kubernetes.io/unreachable", operator: .exists, effect: .noExecute, tolerationSeconds: 30),
    ])
    func validToleration_hasNoProblems(toleration: Toleration) {
        #expect(toleration.validationProblems.isEmpty)
    }

    @Test func existsWithAValue_isRefused() {
        #expect(
            Toleration(key: "a", operator: .exists, value: "b").validationProblems == [
                "value must be empty when operator is Exists"
            ])
    }

    @Test func emptyKeyWithEqual_isRefused() {
        #expect(
            Toleration(value: "b").validationProblems == [
                "operator must be Exists when key is empty (an empty key with Exists tolerates every taint)"
            ])
    }

    @Test func tolerationSecondsWithoutNoExecute_isRefused() {
        #expect(
            Toleration(key: "a", effect: .noSchedule, tolerationSeconds: 5).validationProblems == [
                "tolerationSeconds is only allowed with effect NoExecute"
            ])
    }

    @Test(arguments: ["-a", "a/b/c", "UPPER.example/x", String(repeating: "a", count: 64)])
    func malformedKey_isRefused(key: String) {
        #expect(Toleration(key: key, operator: .exists).validationProblems.count == 1)
    }

    @Test func valueLongerThanALabelValue_isRefused() {
        let value = String(repeating: "v", count: 64)
        #expect(
            Toleration(key: "a", value: value).validationProblems == [
                "value \"\(value)\" must be at most 63 characters"
            ])
    }
}
