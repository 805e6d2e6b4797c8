import KioskCore
import Testing

@Suite("Printer condition")
struct PrinterConditionTests {
    @Test("An idle printer without reasons can print and needs nobody")
    func idle() {
        let condition = PrinterCondition.from(state: 3, reasons: ["none"])
        #expect(condition.canPrint)
        #expect(condition.responsible == .nobody)
    }

    @Test("No paper is a fault for hall staff; low paper only a warning")
    func paper() {
        let empty = PrinterCondition.from(state: 3, reasons: ["media-empty-error"])
        #expect(!empty.canPrint)
        #expect(empty.responsible == .hallStaff)
        #expect(empty.reasons == ["media-empty"])
        let low = PrinterCondition.from(state: 3, reasons: ["media-low-warning"])
        #expect(low.canPrint)
        #expect(low.severity == .warning)
    }

    @Test("A jam, an offline printer or a stopped queue is for an engineer")
    func engineer() {
        #expect(PrinterCondition.from(state: 4, reasons: ["media-jam-error"]).responsible == .engineer)
        #expect(PrinterCondition.from(state: 3, reasons: ["offline-report", "offline"]).responsible == .engineer)
        let stopped = PrinterCondition.from(state: 5, reasons: ["none"])
        #expect(!stopped.canPrint)
        #expect(stopped.responsible == .engineer)
        #expect(PrinterCondition.from(state: nil, reasons: []).reasons == ["cups-unreachable"])
    }
}
