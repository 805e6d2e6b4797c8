/// The control sequences kioskd sends to set a terminal up for kiosk use and to leave it
/// as it was found.
public enum TerminalModes {
    /// Hide the cursor, turn on SGR mouse (touch) reporting and bracketed paste, clear.
    public static let enter: [UInt8] = Array(
        ("\u{1B}[0m" + "\u{1B}[?25l" + "\u{1B}[?1000h\u{1B}[?1006h" + "\u{1B}[?2004h" + "\u{1B}[H\u{1B}[2J").utf8
    )

    /// Undo `enter`: modes off, attributes reset, screen and scrollback cleared, cursor shown.
    public static let leave: [UInt8] = Array(
        ("\u{1B}[?1000l\u{1B}[?1006l" + "\u{1B}[?2004l" + "\u{1B}[0m" + "\u{1B}[H\u{1B}[2J\u{1B}[3J" + "\u{1B}[?25h").utf8
    )

    /// Wipe everything a citizen could have left: attributes reset, screen and scrollback
    /// cleared (`ESC [ 3 J`), cursor home.
    public static let wipe: [UInt8] = Array("\u{1B}[0m\u{1B}[H\u{1B}[2J\u{1B}[3J".utf8)

    /// Ask the terminal where the cursor is; after moving it far right and down, the reply
    /// tells the screen size of a serial terminal that cannot report it otherwise.
    public static let querySize: [UInt8] = Array("\u{1B}7\u{1B}[999;999H\u{1B}[6n\u{1B}8".utf8)
}
