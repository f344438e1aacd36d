import CNcursesw
import KurasiConsole

/// What one read of the keyboard brought.
enum Read: Hashable {
    case key(Key)
    /// The terminal changed size (read LINES and COLS for the new one).
    case resize
}

/// What `wget_wch` returns, as a `Key`. Pure: no curses state is read.
enum Keys {
    /// `code` is a key code when `isKeyCode` (wget_wch returned KEY_CODE_YES), else a character.
    /// Returns nil for what the console has no use for (mouse events, unknown keys, NUL).
    static func key(code: Int32, isKeyCode: Bool) -> Read? {
        if isKeyCode, code == kurasi_key_resize() { return .resize }
        return plainKey(code: code, isKeyCode: isKeyCode).map(Read.key)
    }

    static func plainKey(code: Int32, isKeyCode: Bool) -> Key? {
        if isKeyCode {
            switch code {
            case kurasi_key_up(): return .up
            case kurasi_key_down(): return .down
            case kurasi_key_left(): return .left
            case kurasi_key_right(): return .right
            case kurasi_key_ppage(): return .pageUp
            case kurasi_key_npage(): return .pageDown
            case kurasi_key_home(): return .home
            case kurasi_key_end(): return .end
            case kurasi_key_btab(): return .backTab
            case kurasi_key_backspace(): return .backspace
            case kurasi_key_dc(): return .delete
            case kurasi_key_enter(): return .enter
            case kurasi_key_f(1)...kurasi_key_f(63): return .function(Int(code - kurasi_key_f(0)))
            default: return nil
            }
        }
        switch code {
        case 127, 8: return .backspace
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))  // 1 -> "a"
        case 0, 28...31, 0x80...0x9F: return nil  // NUL, other C0 and C1 controls
        default:
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: code)) else { return nil }
            return .char(Character(scalar))
        }
    }
}
