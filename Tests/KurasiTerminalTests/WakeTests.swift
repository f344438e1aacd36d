import Foundation
import KurasiConsole
@testable import KurasiTerminal
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loop's wait for a key ended by the program's waker (a worker's answer, a signal) rather
/// than by its timeout. A pipe stands in for the keyboard; each wait is long enough (a minute)
/// that only the wake-up or a key can end it, so nothing depends on the machine's speed.
@Suite struct WakeTests {
    /// A keyboard nobody types on: the read end of a pipe kept open.
    final class QuietKeyboard {
        let read: Int32, write: Int32
        init() {
            var ends: [Int32] = [0, 0]
            precondition(pipe(&ends) == 0)
            (read, write) = (ends[0], ends[1])
        }
        deinit { close(read); close(write) }
    }

    @Test func aWakeUpEndsTheWaitWithoutAskingCurses() throws {
        let keyboard = QuietKeyboard()
        let waker = try #require(Waker())
        waker.wake(); waker.wake()  // two answers before the loop waits: one wake-up
        var asked: [Int32] = []
        #expect(Terminal.read(wait: 60_000, input: keyboard.read, waker: waker) { asked.append($0); return .nothing } == .woken)
        #expect(asked.isEmpty)
        // Drained: the next wait is not woken again by the same answers (the time is up at once).
        #expect(Terminal.read(wait: 1, input: keyboard.read, waker: waker) { asked.append($0); return .nothing } == .nothing)
        #expect(asked == [0])
    }

    @Test func aWakeUpFromAnotherThreadEndsAWaitAlreadyUnderWay() throws {
        let keyboard = QuietKeyboard()
        let waker = try #require(Waker())
        let thread = Thread { waker.wake() }
        thread.start()
        #expect(Terminal.read(wait: 60_000, input: keyboard.read, waker: waker) { _ in .nothing } == .woken)
    }

    @Test func aKeyIsReadByCursesWithoutWaitingAgain() throws {
        let keyboard = QuietKeyboard()
        let waker = try #require(Waker())
        var byte: UInt8 = 0x71
        #expect(write(keyboard.write, &byte, 1) == 1)
        var asked: [Int32] = []
        let read = Terminal.read(wait: 60_000, input: keyboard.read, waker: waker) { asked.append($0); return .input(.key(.char("q"))) }
        #expect(read == .input(.key(.char("q"))))
        #expect(asked == [0])
    }

    @Test func withoutAWakerOrWhenDrainingCursesWaitsAsBefore() throws {
        let keyboard = QuietKeyboard()
        var asked: [Int32] = []
        _ = Terminal.read(wait: 250, input: keyboard.read, waker: nil) { asked.append($0); return .nothing }
        let waker = try #require(Waker())
        waker.wake()
        _ = Terminal.read(wait: 0, input: keyboard.read, waker: waker) { asked.append($0); return .nothing }
        #expect(asked == [250, 0])
    }

    /// The loop hands a wake-up to the program at once and draws the frame after it; no `.timeout`.
    @Test func theLoopDrawsWhatAWakeUpBrought() {
        final class Waiting: TerminalProgram {
            var news = "", isFinished = false, handled: [TerminalInput] = []
            var waitMilliseconds: Int32 { 250 }
            func handle(_ input: TerminalInput) {
                handled.append(input)
                if input == .woken { news = "answer" }
                if input == .key(.char("q")) { isFinished = true }
            }
            func frame() -> Canvas { var c = Canvas(width: 10, height: 1); c.put(news, x: 0, y: 0); return c }
            func takeRedrawRequest() -> Bool { false }
        }
        let app = Waiting()
        var reads: [Terminal.Read] = [.woken, .nothing, .input(.key(.char("q")))]
        var frames: [String] = []
        _ = Terminal.drive(app, read: { _ in reads.removeFirst() }, paint: { c, _ in frames.append(c.text(row: 0).trimmingCharacters(in: .whitespaces)) })
        #expect(frames == ["", "answer"])
        #expect(app.handled == [.woken, .key(.char("q"))])
    }
}
