import HTTPServer
import Testing

@Suite struct HTTPRouterTests {
    private func request(_ method: String, _ target: String, body: Int = 0) -> HTTPRequest {
        HTTPRequest(head: HTTPRequestHead(method: method, target: target), body: Array(repeating: 0x20, count: body))
    }

    private var router: HTTPRouter {
        var router = HTTPRouter()
        router.addOnLoop("POST", "/validate") { _ in .text(.ok, "validated\n") }
        router.add("GET", "/slow") { _ in .text(.ok, "slow\n") }
        router.addOnLoop("GET", "/healthz") { _ in .text(.ok, "ok\n") }
        return router
    }

    @Test func unknownPath_gets404NamingIt() async {
        let response = await router.handle(request("GET", "/nope?x=1"))
        #expect(response.status == .notFound)
        #expect(String(decoding: response.body, as: UTF8.self) == "no such path: /nope\n")
    }

    @Test func wrongMethod_gets405WithAllow() async {
        let response = await router.handle(request("GET", "/validate"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "POST")
    }

    @Test func query_isIgnoredForMatching() async {
        #expect(await router.handle(request("POST", "/validate?timeout=10s")).status == .ok)
    }

    @Test func head_getsTheGetAnswerWithoutBody() async {
        let response = await router.handle(request("HEAD", "/healthz"))
        #expect(response.status == .ok)
        #expect(response.body.isEmpty)
    }

    @Test func onLoopRoute_answersOnTheLoop_upToTheBodyLimit() {
        var router = self.router
        router.onLoopBodyLimit = 1024
        #expect(router.respondOnLoop(to: request("POST", "/validate", body: 1024))?.status == .ok)
        #expect(
            router.respondOnLoop(to: request("POST", "/validate", body: 1025)) == nil, "a larger body runs as a task")
    }

    @Test func taskRoute_neverAnswersOnTheLoop_butErrorsDo() {
        #expect(router.respondOnLoop(to: request("GET", "/slow")) == nil)
        #expect(router.respondOnLoop(to: request("GET", "/nope"))?.status == .notFound)
    }
}
