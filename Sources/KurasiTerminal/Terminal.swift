import CKurasiSignals
import CNcursesw
import KurasiConsole

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the terminal hands a program.
public enum TerminalInput: Hashable, Sendable {
    case key(Key)
    /// The terminal's size: once before the first frame, then after every change.
    case resize(width: Int, height: Int)
    /// No key arrived within `waitMilliseconds`.
    case timeout
    /// The program's `waker` was written (its worker has an answer) before a key or the timeout:
    /// the loop hands this over at once and draws the frame after it.
    case woken
}

/// A self-pipe that ends the terminal loop's wait for a key at once: a worker thread writes to it
/// when it has an answer, so the screen shows the answer the moment it is there instead of at the
/// next tick. The loop polls it beside standard input; the terminating signals and SIGWINCH write
/// to it too, so one that arrives just before the wait begins does not wait for the timeout.
public final class Waker: @unchecked Sendable {
    /// Polled by the loop (non-blocking).
    public let readEnd: Int32
    /// Written by `wake` and by the signal handlers (non-blocking).
    public let writeEnd: Int32

    /// Nil when no pipe can be made (no file descriptors left): the program then polls by its ticks.
    public init?() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for fd in ends {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// End the loop's wait (from any thread). A pipe already full has a wake-up pending, so a
    /// write that would block is dropped.
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Take every wake-up written so far (the loop, before it looks at what woke it).
    public func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &bytes, bytes.count) > 0 {}
    }
}

/// What the terminal loop drives: input in, a whole screen out. The console's runtime is one;
/// tests and tools may bring their own.
public protocol TerminalProgram: AnyObject {
    func handle(_ input: TerminalInput)
    /// The screen to show now.
    func frame() -> Canvas
    var isFinished: Bool { get }
    /// How long to wait for a key before handing over `.timeout` (shorter while work is under way).
    var waitMilliseconds: Int32 { get }
    /// Whether the terminal should be cleared and drawn afresh (Ctrl-L); reading it resets it.
    func takeRedrawRequest() -> Bool
    /// What ends the wait for a key when the program has news of its own (`.woken`); nil: none,
    /// the program hears only keys, sizes and `.timeout`.
    var waker: Waker? { get }
}

extension TerminalProgram {
    public var waker: Waker? { nil }
}

/// The curses backend: sets the terminal up, copies each Canvas to the screen, turns what
/// `wget_wch` reads into `Key`s, and puts the terminal back on every way out: quit, SIGINT,
/// SIGTERM, SIGHUP and a crash.
public enum Terminal {
    /// How long a program usually waits for a key before it is told `.timeout`.
    public static let tickMilliseconds: Int32 = 250

    /// For a worker thread: leave Ctrl-C, kill, hang-up and resizing to the main thread, whose read
    /// of the keyboard they interrupt.
    public static func leaveSignalsToTheMainThread() { kurasi_block_console_signals_in_this_thread() }

    /// Both standard input and standard output are terminals: the console can run.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Colours are wanted: `NO_COLOR` unset or empty (https://no-color.org).
    static var colorsAllowed: Bool {
        guard let value = getenv("NO_COLOR") else { return true }
        return value.pointee == 0
    }

    /// Run the app until it finishes. Returns the exit status: 0 after quitting, 1 when the
    /// terminal cannot be set up (the reason is on stderr), 129 when the terminal went away. On
    /// SIGINT, SIGTERM or SIGHUP it restores the terminal and then dies of that signal, as a
    /// well-behaved program does, so it does not return; on a crash (SIGSEGV, SIGBUS, SIGILL,
    /// SIGTRAP, SIGABRT, SIGFPE, SIGQUIT) a handler restores the terminal and passes the crash on
    /// to the handler that was there before (Swift's backtracer, or the default action).
    ///
    /// The app saves every edit the moment it is made, so no exit path has anything left to save.
    public static func run(_ app: some TerminalProgram) -> Int32 {
        guard isInteractive else {
            writeError("kurasi: the console needs a terminal on standard input and output.")
            return 1
        }
        setLocale()
        Signals.install()
        guard let screen = kurasi_newterm() else {
            let term = getenv("TERM").map { String(cString: $0) } ?? ""
            writeError("kurasi: cannot use this terminal (TERM=\(term.isEmpty ? "unset" : term)); set TERM, e.g. TERM=xterm-256color, or use the commands: kurasi status, kurasi --help.")
            return 1
        }
        set_term(screen)
        Signals.cursesActive(true)
        let waker = app.waker
        if let waker {
            kurasi_set_wake_fd(waker.writeEnd)
            _ = kurasi_wake_on_resize()
        }
        defer { kurasi_set_wake_fd(-1) }
        var painter = Painter()
        painter.setUp()

        var caught: Int32 = 0
        var hungUp = false
        app.handle(.resize(width: Int(kurasi_cols()), height: Int(kurasi_lines())))
        let ending = drive(app, read: { wait in
            if case let signal = Signals.take(), signal != 0 { return .ended(.signal(signal)) }
            let read = Terminal.read(wait: wait, input: STDIN_FILENO, waker: waker) { wait in
                var ch: wint_t = 0
                wtimeout(kurasi_stdscr(), wait)
                let result = wget_wch(kurasi_stdscr(), &ch)
                if result == kurasi_err() {  // no key within `wait` (or a signal, handled below)
                    // A terminal that went away (ssh dropped, window closed) with SIGHUP ignored
                    // (nohup) would make every read fail at once: stop instead of spinning.
                    return inputHungUp() ? .ended(.hungUp) : .nothing
                }
                switch Keys.key(code: Int32(bitPattern: UInt32(ch)), isKeyCode: result == kurasi_key_code_yes()) {
                case .resize?: return .input(.resize(width: Int(kurasi_cols()), height: Int(kurasi_lines())))
                case let .key(key)?: return .input(.key(key))
                case nil: return .ignored
                }
            }
            if case let signal = Signals.take(), signal != 0 { return .ended(.signal(signal)) }
            return read
        }, paint: { canvas, force in painter.paint(canvas, force: force) })
        switch ending {
        case let .signal(signal)?: caught = signal
        case .hungUp?: hungUp = true
        case nil: break
        }

        endwin()
        Signals.cursesActive(false)
        delscreen(screen)
        if caught != 0 {
            Signals.reraise(caught)
            return 128 + caught
        }
        return hungUp ? 128 + SIGHUP : 0
    }

    /// One read of the keyboard with a waker beside it: waits up to `wait` milliseconds (negative:
    /// without limit) until `input` has something to read or `waker` is written, whichever is
    /// first. A wake-up is `.woken` (the keys typed meanwhile are read next, with a wait of 0);
    /// anything else is left to `key` (curses' own read) with a wait of 0, which also turns a
    /// SIGWINCH that interrupted the wait into `.resize`. Without a waker, or with a wait of 0
    /// (draining what is queued), it is `key(wait)` alone.
    public static func read(wait: Int32, input: Int32, waker: Waker?, key: (Int32) -> Read) -> Read {
        guard let waker, wait != 0 else { return key(wait) }
        var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: waker.readEnd, events: Int16(POLLIN), revents: 0)]
        if poll(&fds, 2, wait) > 0, fds[1].revents & Int16(POLLIN) != 0 {
            waker.drain()
            return .woken
        }
        // A key, the terminal gone, a signal (EINTR), or the time is up: curses reads what there
        // is (and notices a resize) without waiting again.
        return key(0)
    }

    /// What one read of the keyboard gave.
    public enum Read: Hashable, Sendable {
        case input(TerminalInput)
        /// The program's waker ended the wait (`Terminal.read`).
        case woken
        /// Nothing within the wait (nothing queued, when the wait is 0).
        case nothing
        /// A code the console has no use for.
        case ignored
        case ended(Ending)
    }

    public enum Ending: Hashable, Sendable {
        case signal(Int32)
        case hungUp
    }

    /// The loop: draw a frame, wait for input, then take every key already queued (type-ahead, a
    /// paste) before drawing the next frame, so a burst of keys costs one frame, not one each.
    /// `read(wait)` waits at most `wait` milliseconds (0: only what is queued). Returns how it
    /// ended when it did not end by the program finishing.
    public static func drive(_ app: some TerminalProgram, read: (Int32) -> Read, paint: (Canvas, Bool) -> Void) -> Ending? {
        var force = true
        while !app.isFinished {
            if app.takeRedrawRequest() { force = true }
            paint(app.frame(), force)
            force = false
            var wait = app.waitMilliseconds, first = true
            drain: while !app.isFinished {
                switch read(wait) {
                case let .ended(ending): return ending
                case .nothing:
                    if first { app.handle(.timeout) }
                    break drain
                case .ignored:
                    break
                case .woken:
                    app.handle(.woken)
                case let .input(input):
                    if case .resize = input { force = true }
                    app.handle(input)
                }
                first = false
                wait = 0
            }
        }
        return nil
    }

    /// Whether standard input reports a hang-up or an error rather than "no key yet".
    static func inputHungUp() -> Bool {
        var p = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) >= 0 else { return false }
        return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// The user's locale, for ncursesw to read and write UTF-8. When it names UTF-8 but is not
    /// installed (LANG=id_ID.UTF-8 on a minimal server is common), C.UTF-8 keeps the text intact;
    /// the interface language is chosen from the variables' names, not from this.
    static func setLocale() {
        let ok = setlocale(LC_ALL, "") != nil
        if ok && kurasi_locale_is_utf8() != 0 { return }
        var wantsUTF8 = false
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            guard let v = getenv(name).map({ String(cString: $0) }), !v.isEmpty else { continue }
            let lower = v.lowercased()
            wantsUTF8 = lower.contains("utf-8") || lower.contains("utf8")
            break
        }
        if wantsUTF8 {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "C.utf8") }
        }
    }

    static func writeError(_ message: String) {
        let line = message + "\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}

/// Copies a Canvas to stdscr.
struct Painter {
    private var colors = false
    private var utf8 = true
    private var last: Canvas?
    /// The terminal's size (lines, columns) when `last` was drawn.
    private var lastTerminal = (0, 0)

    private static let accentPair: Int16 = 1
    private static let warningPair: Int16 = 2

    mutating func setUp() {
        // cbreak, not raw: Ctrl-C stays SIGINT, which ends the console cleanly even while it waits
        // for another terminal's lock on the store (a second Ctrl-C then ends it at once).
        cbreak()
        noecho()
        nonl()
        // But no XON/XOFF: a stray Ctrl-S must not freeze the projected screen.
        var modes = termios()
        if tcgetattr(STDIN_FILENO, &modes) == 0 {
            modes.c_iflag &= ~tcflag_t(IXON)
            tcsetattr(STDIN_FILENO, TCSANOW, &modes)
            def_prog_mode()  // what ncurses restores after Ctrl-Z; endwin still restores the shell's modes
        }
        intrflush(kurasi_stdscr(), false)
        keypad(kurasi_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        utf8 = kurasi_locale_is_utf8() != 0
        if has_colors(), Terminal.colorsAllowed, start_color() == kurasi_ok(), use_default_colors() == kurasi_ok() {
            init_pair(Self.accentPair, Int16(COLOR_CYAN), -1)
            init_pair(Self.warningPair, Int16(COLOR_RED), -1)
            colors = true
        }
    }

    /// Draw `canvas` unless it is what is already on the screen; `force` repaints the whole
    /// terminal (after a resize, or Ctrl-L when something else scribbled on it). Otherwise only
    /// the rows that differ from the last frame are drawn again: moving the cursor changes a few
    /// rows, and the rest is neither rebuilt nor compared again by curses.
    mutating func paint(_ canvas: Canvas, force: Bool) {
        let win = kurasi_stdscr()
        let lines = Int(kurasi_lines()), columns = Int(kurasi_cols())
        let previous = force || lastTerminal != (lines, columns) ? nil
            : last.flatMap { $0.width == canvas.width && $0.height == canvas.height ? $0 : nil }
        if let previous, previous == canvas { return }
        if force { clearok(win, true) }
        if previous == nil { werase(win) }
        let rows = min(canvas.height, lines), cols = min(canvas.width, columns)
        for y in 0..<rows {
            if let previous {
                if canvas.rowEquals(previous, row: y) { continue }
                wmove(win, Int32(y), 0)
                wclrtoeol(win)
            }
            for x in 0..<cols { draw(canvas, x: x, y: y) }
        }
        wmove(win, 0, 0)
        wrefresh(win)
        last = canvas
        lastTerminal = (lines, columns)
    }

    /// One cell, read from the canvas without making a String of it.
    private func draw(_ canvas: Canvas, x: Int, y: Int) {
        canvas.withScalars(x: x, y: y) { scalars, style in
            guard let first = scalars.first else { return }  // the right half of a wide glyph
            if first == 0x20, scalars.count == 1, style.isEmpty { return }  // the row is blank already
            let (attrs, pair) = attributes(style)
            // One grapheme as the NUL-terminated wide string `setcchar` takes: a spacing character
            // followed by at most four combining ones (a longer cluster, as some emoji sequences,
            // is shown by its first character). In a locale that is not UTF-8, what it cannot show
            // becomes ASCII; what this terminal cannot print at all becomes '?'.
            withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: 6) { wide in
                var n = 0
                if !utf8 && first > 0x7E {
                    wide[0] = wchar_t(Self.asciiFallback(Unicode.Scalar(first) ?? "?").value); n = 1
                } else {
                    wide[0] = wchar_t(bitPattern: first); n = 1
                    if scalars.count <= 5 { for s in scalars.dropFirst() { wide[n] = wchar_t(bitPattern: s); n += 1 } }
                    if (first < 0x20 || first > 0x7E), kurasi_wcwidth(wide[0]) < 0 { wide[0] = wchar_t(63); n = 1 }
                }
                wide[n] = 0
                var cell = cchar_t()
                setcchar(&cell, wide.baseAddress, attrs, pair, nil)
                // Each cell is placed at its own column, so where curses measures a glyph
                // differently from the Canvas, the difference cannot shift the rest of the row.
                // The bottom-right cell cannot be written without the cursor moving past it;
                // ncurses keeps the character and reports ERR, which is fine.
                _ = mvwadd_wch(kurasi_stdscr(), Int32(y), Int32(x), &cell)
            }
        }
    }

    private func attributes(_ style: Style) -> (attr_t, Int16) {
        var a = kurasi_a_normal()
        var pair: Int16 = 0
        if style.contains(.bold) { a |= kurasi_a_bold() }
        if style.contains(.reverse) { a |= kurasi_a_reverse() }
        if style.contains(.underline) { a |= kurasi_a_underline() }
        if style.contains(.dim) { a |= kurasi_a_dim() }
        if colors {
            if style.contains(.warning) {
                pair = Self.warningPair
                a |= kurasi_a_bold()
            } else if style.contains(.accent) {
                pair = Self.accentPair
            }
        } else if style.contains(.warning) {
            a |= kurasi_a_bold()
        }
        return (a, pair)
    }

    /// What a symbol of the screens becomes where the locale is not UTF-8. `?` is reserved for
    /// what it means on the screens (a score still hidden) and for a character with no stand-in.
    static func asciiFallback(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s {
        case "─", "━", "–", "—": "-"
        case "│", "┃", "├", "┤", "▏": "|"
        case "·", "•": "."
        case "★", "☆": "*"
        case "▼", "↓": "v"
        case "▲", "↑": "^"
        case "←": "<"
        case "→": ">"
        case "…": "~"
        case "⚑": "!"
        case "⊘", "×", "✗": "x"
        case "✓": "+"
        case "≈": "="
        case "○", "●": "o"
        case "◆": "@"
        case "☎": "T"
        case "█", "▇", "▆", "▅": "#"
        case "▄", "▃": "="
        case "▂", "▁": "_"
        case "░": "."
        case "\u{A0}": " "
        default: "?"
        }
    }
}

/// The signal handlers live in the CKurasiSignals target (a handler may only set a flag).
enum Signals {
    static func install() { kurasi_install_signal_handlers() }
    static func cursesActive(_ on: Bool) { kurasi_set_curses_active(on ? 1 : 0) }
    static func take() -> Int32 { kurasi_take_signal() }
    static func reraise(_ sig: Int32) { kurasi_reraise(sig) }
}
