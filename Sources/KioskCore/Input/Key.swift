/// One thing a citizen did at a terminal, decoded from the bytes it sent.
public enum Key: Sendable, Hashable {
    /// A printable character: a digit, a letter, or text from an input method.
    case character(Character)
    case enter, escape, backspace, delete, tab
    case up, down, left, right, home, end, pageUp, pageDown, insert
    /// A function key, F1 to F12.
    case function(Int)
    /// A control byte with no meaning of its own (Ctrl-C, Ctrl-Z, Ctrl-\, Ctrl-S…). The
    /// kiosk's raw mode delivers these as plain input; they never signal the daemon.
    case control(UInt8)
    /// A mouse or touch press at a cell (0-based), from xterm SGR mouse reporting.
    case click(GridPosition)
    /// Text pasted between bracketed-paste markers, already stripped of control bytes.
    case paste(String)
}

/// Something the terminal told the daemon that is not a key: replies to queries.
public enum TerminalReport: Sendable, Hashable {
    /// The cursor position report (`ESC [ row ; col R`), 1-based as sent.
    case cursorPosition(row: Int, column: Int)
    /// A device attributes reply (`ESC [ ? … c`).
    case deviceAttributes([Int])
}

/// What the key decoder produces.
public enum TerminalInput: Sendable, Hashable {
    case key(Key)
    case report(TerminalReport)
}
