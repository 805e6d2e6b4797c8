import KioskDaemon
import Testing

@Suite("Demo environment")
struct DemoEnvironmentTests {
    @Test("The demo draws large elder-mode glyphs in xterm and Konsole, not in VTE, tmux or screen")
    func doubleSizeLinesFromTheEnvironment() {
        // Given the variables terminals set / Then only xterm and Konsole outside a multiplexer count
        #expect(DemoEnvironment.drawsDoubleSizeLines(["XTERM_VERSION": "XTerm(379)", "TERM": "xterm-256color"]))
        #expect(DemoEnvironment.drawsDoubleSizeLines(["KONSOLE_VERSION": "230805"]))
        #expect(!DemoEnvironment.drawsDoubleSizeLines(["VTE_VERSION": "7006", "TERM": "xterm-256color"]))
        #expect(!DemoEnvironment.drawsDoubleSizeLines(["XTERM_VERSION": "XTerm(379)", "TMUX": "/tmp/tmux-0/default,1,0"]))
        #expect(!DemoEnvironment.drawsDoubleSizeLines(["KONSOLE_VERSION": "230805", "STY": "1234.pts-0.host"]))
        #expect(!DemoEnvironment.drawsDoubleSizeLines(["TERM": "linux"]))
    }
}
