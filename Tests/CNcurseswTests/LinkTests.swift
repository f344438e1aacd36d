import CNcursesw
import Testing

/// The console is built on ncursesw; this proves the system library links and that the
/// wide-character entry points and macro wrappers are visible to Swift.
@Suite struct CNcurseswLinkTests {
    @Test func wideCharacterCursesIsLinked() {
        // curses_version() is a real call into libncursesw.
        let version = String(cString: curses_version())
        #expect(version.hasPrefix("ncurses"))
        // The wide-character API is declared (needs NCURSES_WIDECHAR in the shim).
        let getWch: (UnsafeMutablePointer<wint_t>?) -> Int32 = get_wch
        _ = getWch
        #expect(kurasi_a_bold() != kurasi_a_reverse())
        #expect(kurasi_key_f(1) > 0)
    }
}
