import Testing

@testable import HTTPServer

@Suite struct TimerQueueTests {
    @Test func dueTimers_runInDeadlineOrder_andLaterOnesWait() {
        var queue = TimerQueue()
        let start = ContinuousClock.now
        var fired: [Int] = []
        queue.add(deadline: start + .seconds(3)) { fired.append(3) }
        queue.add(deadline: start + .seconds(2)) { fired.append(2) }
        queue.add(deadline: start + .seconds(1)) { fired.append(1) }
        queue.add(deadline: start + .seconds(9)) { fired.append(9) }

        for action in queue.takeDue(now: start + .seconds(5)) { action() }
        #expect(fired == [1, 2, 3])

        for action in queue.takeDue(now: start + .seconds(10)) { action() }
        #expect(fired == [1, 2, 3, 9])
    }

    @Test func anAction_mayScheduleAnotherTimer() {
        var queue = TimerQueue()
        let start = ContinuousClock.now
        var fired = 0
        queue.add(deadline: start) { fired += 1 }
        for action in queue.takeDue(now: start) {
            action()
            queue.add(deadline: start + .seconds(1)) { fired += 10 }
        }
        for action in queue.takeDue(now: start + .seconds(2)) { action() }
        #expect(fired == 11)
    }

    @Test func waitTime_isTheNextDeadline_cappedAtOneSecond() {
        var queue = TimerQueue()
        let start = ContinuousClock.now
        #expect(queue.millisecondsUntilNext(now: start) == 1000)
        queue.add(deadline: start + .milliseconds(250)) {}
        #expect(queue.millisecondsUntilNext(now: start) == 250)
        #expect(queue.millisecondsUntilNext(now: start + .microseconds(100)) == 250, "rounded up")
        #expect(queue.millisecondsUntilNext(now: start + .seconds(1)) == 0)
    }
}
