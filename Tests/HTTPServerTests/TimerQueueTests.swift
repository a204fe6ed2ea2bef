import Testing

@testable import HTTPServer

@Suite struct TimerQueueTests {
    @Test func dueTimers_runInDeadlineOrder_andCancelledOnesNever() {
        var queue = TimerQueue()
        let start = ContinuousClock.now
        var fired: [Int] = []
        _ = queue.add(deadline: start + .seconds(3)) { fired.append(3) }
        let cancelled = queue.add(deadline: start + .seconds(2)) { fired.append(2) }
        _ = queue.add(deadline: start + .seconds(1)) { fired.append(1) }
        _ = queue.add(deadline: start + .seconds(9)) { fired.append(9) }
        queue.cancel(cancelled)

        for action in queue.takeDue(now: start + .seconds(5)) { action() }

        #expect(fired == [1, 3])
        #expect(!queue.isEmpty)
    }

    @Test func anAction_mayScheduleAnotherTimer() {
        var queue = TimerQueue()
        let start = ContinuousClock.now
        var fired = 0
        _ = queue.add(deadline: start) { fired += 1 }
        for action in queue.takeDue(now: start) {
            action()
            _ = queue.add(deadline: start + .seconds(1)) { fired += 10 }
        }
        for action in queue.takeDue(now: start + .seconds(2)) { action() }
        #expect(fired == 11)
    }

    @Test func waitTime_isTheNextDeadline_cappedAtOneSecond() {
        var queue = TimerQueue()
        let start = ContinuousClock.now
        #expect(queue.millisecondsUntilNext(now: start) == 1000)
        _ = queue.add(deadline: start + .milliseconds(250)) {}
        #expect((250...251).contains(queue.millisecondsUntilNext(now: start)))
        #expect(queue.millisecondsUntilNext(now: start + .seconds(1)) == 0)
    }
}
