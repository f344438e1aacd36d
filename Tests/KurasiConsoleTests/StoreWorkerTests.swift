import Foundation
import KurasiConsole
@testable import KurasiConsoleRuntime
import KurasiTerminal
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store worker's waits, apart from the console around it.
@Suite struct StoreWorkerTests {
    /// The console's quit waits without a deadline for the worker to finish (the other cluster's
    /// ranking may still run a few seconds after the first screen at province size). That wait
    /// used to trap on Linux; here the job is still running when the wait starts, and finishes
    /// only once the quit is waiting, whatever the machine's speed.
    @Test func quitWaitsForAJobStillRunningWithoutADeadline() {
        let worker = StoreWorker(handle: nil, clock: { "2026-11-30T10:00:00Z" })
        let gate = DispatchSemaphore(value: 0)
        let ran = Flag()
        worker.submit(.open { gate.wait(); ran.set(); return .tick })
        var waits = 0
        worker.beforeIdleWait = { waits += 1; if waits == 1 { gate.signal() } }
        #expect(worker.waitUntilIdle(timeout: .infinity))
        #expect(waits >= 1)
        #expect(ran.isSet)
        worker.stop()
    }

    /// A finite wait that runs out says so (the status line's "menyimpan…" depends on it).
    @Test func aFiniteWaitForAJobStillRunningRunsOut() {
        let worker = StoreWorker(handle: nil, clock: { "2026-11-30T10:00:00Z" })
        let gate = DispatchSemaphore(value: 0)
        worker.submit(.open { gate.wait(); return .tick })
        #expect(!worker.waitUntilIdle(timeout: 0))
        gate.signal()
        #expect(worker.waitUntilIdle(timeout: .infinity))
        worker.stop()
    }

    /// Every answer wakes the screen's loop, except a tick's refresh that found nothing new
    /// (it would draw the same screen four times a second); the wake-up is there once the worker
    /// is idle, whatever the machine's speed.
    @Test func answersWakeTheLoopButANothingNewRefreshDoesNot() throws {
        let waker = try #require(Waker())
        let worker = StoreWorker(handle: nil, clock: { "2026-11-30T10:00:00Z" }, waker: waker)
        func woken() -> Bool {
            var p = pollfd(fd: waker.readEnd, events: Int16(POLLIN), revents: 0)
            defer { waker.drain() }
            return poll(&p, 1, 0) == 1
        }
        worker.submit(.open { .refreshed(nil) })
        #expect(worker.waitUntilIdle(timeout: .infinity))
        #expect(!woken())
        worker.submit(.open { .loadFailed("kurasi.json: cannot be read") })
        #expect(worker.waitUntilIdle(timeout: .infinity))
        #expect(woken())
        worker.report(.loadProgress(.ranking))
        #expect(woken())
        #expect(worker.takeAnswers().count == 3)
        worker.stop()
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
