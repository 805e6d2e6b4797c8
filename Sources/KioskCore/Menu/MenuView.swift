import Foundation

/// Draws a menu state as a text grid. Pure: the same state, context and strings always
/// give the same grid.
public struct MenuView: Sendable {
    public let localization: Localization
    /// The terminal's name, shown in the title bar so a technician can tell screens apart.
    public let terminalName: String
    /// How times are written: in the hall's zone.
    public let hallTime: HallTimeFormat
    /// The hall's name (`[hall] name`; at a bank desk, the branch's): part of the bank
    /// desk's title and welcome. Empty leaves it off.
    public let hallName: String

    public init(localization: Localization, terminalName: String, hallTime: HallTimeFormat = .standard, hallName: String = "") {
        self.localization = localization
        self.terminalName = terminalName
        self.hallTime = hallTime
        self.hallName = hallName
    }

    public func render(_ state: MenuState, context: MenuContext = MenuContext()) -> TextGrid {
        var grid = TextGrid(size: context.size)
        if context.availability.storage == .full {
            drawOutOfService(into: &grid)
            return grid
        }
        let language = state.language
        let large = state.largeGlyphs(in: context)
        switch state.screen {
        case .attract:
            drawAttract(profile: state.profile, into: &grid)
            if let broadcast = context.broadcast { drawBroadcast(broadcast, into: &grid) }
            return grid
        case .locked(let message):
            drawLocked(message: message, into: &grid)
            if let broadcast = context.broadcast { drawBroadcast(broadcast, into: &grid) }
            return grid
        case .home:
            drawFrame(into: &grid, large: large, title: homeTitle(state.profile, language), footer: text("home.footer", language))
            grid.put(text("home.prompt", language), row: 4, column: 3, limit: grid.size.columns - 5)
            drawList(state, context, into: &grid)
        case .service(let item):
            // Every other service opens a screen of its own; reprint is the one on `.service`.
            drawFrame(into: &grid, large: large, title: text(item.titleKey, language), footer: text("reprint.footer", language))
            drawReprint(state, into: &grid)
        case .guideStages:
            drawFrame(into: &grid, large: large, title: text("service.service-guide", language), footer: text("list.footer", language))
            grid.put(text("guide.stages.prompt", language), row: 4, column: 3, limit: grid.size.columns - 5)
            drawList(state, context, into: &grid)
        case .guideStage(let id):
            let title = context.catalog.stage(id: id).map { $0.name(language) } ?? id
            drawFrame(into: &grid, large: large, title: clean(title), footer: text("list.footer", language))
            grid.put(text("guide.items.prompt", language), row: 4, column: 3, limit: grid.size.columns - 5)
            drawList(state, context, into: &grid)
        case .guideSearch:
            drawFrame(into: &grid, large: large, title: text("guide.search.title", language), footer: text("search.footer", language))
            drawSearch(state, context, into: &grid)
        case .guideItem(let id):
            let item = context.catalog.item(id: id)
            let footer = item?.action == .apply ? "guide.footer.apply" : "guide.footer"
            drawFrame(into: &grid, large: large, title: clean(item?.name(language) ?? id), footer: text(footer, language))
            if let item { drawGuide(item, state, context, into: &grid) }
        case .applyList:
            drawFrame(into: &grid, large: large, title: text("service.apply", language), footer: text("list.footer", language))
            grid.put(text("apply.prompt", language), row: 4, column: 3, limit: grid.size.columns - 5)
            drawList(state, context, into: &grid)
        case .form, .submitted, .submitFailed, .rating, .ratingReason, .ratingDone, .progressResult, .insuranceResult:
            drawApplicationScreen(state, context, into: &grid)
        case .payKinds:
            drawFrame(into: &grid, large: large, title: text("service.pay-bills", language), footer: text("list.footer", language))
            grid.put(text("pay.kinds.prompt", language), row: 4, column: 3, limit: grid.size.columns - 5)
            drawList(state, context, into: &grid)
        case .payAccount, .payBill, .payQR, .payResult:
            drawPaymentScreen(state, context, into: &grid)
        case .proveIdentity, .oneTimeCode:
            drawIdentityScreen(state, context, into: &grid)
        }
        // The citizen's own notice, drawn after it, takes the line while it is shown.
        if let broadcast = context.broadcast { drawBroadcast(broadcast, into: &grid) }
        if let notice = state.notice { drawNotice(text(notice, language), into: &grid) }
        if let outcome = state.printing.outcome { drawNotice(message(for: outcome, language), into: &grid) }
        if let remaining = state.idleWarning { drawIdleWarning(remaining, language: language, into: &grid) }
        return grid
    }

    func text(_ key: String, _ language: Language) -> String {
        localization.text(key, language)
    }

    func clean(_ text: String) -> String { UntrustedText(text).sanitized }

    /// A box around the screen with a title bar and a footer line. With `large`, the title
    /// is one double-height line over rows 1 and 2 (where the separator was), for elder mode
    /// on terminals that draw DEC double-size lines.
    func drawFrame(into grid: inout TextGrid, large: Bool = false, title: String, footer: String) {
        let width = grid.size.columns
        let bottom = grid.size.rows - 1
        let inner = width - 2
        for (row, left, right) in [(0, "┌", "┐"), (2, "├", "┤"), (bottom - 2, "├", "┤"), (bottom, "└", "┘")] {
            grid.put(left, row: row, column: 0)
            grid.fill(row: row, column: 1, count: inner, with: "─")
            grid.put(right, row: row, column: width - 1)
        }
        for row in 1..<bottom where row != 2 && row != bottom - 2 {
            grid.put("│", row: row, column: 0)
            grid.put("│", row: row, column: width - 1)
        }
        grid.put(footer, row: bottom - 1, column: 2, limit: inner - 2)
        if large, makeLargeLine(top: 1, into: &grid) {
            // Half as many cells: the terminal's name keeps at most 10 of them.
            let rowWidth = grid.columns(inRow: 1)
            let name = clean(terminalName).truncated(toWidth: 10)
            let nameColumn = rowWidth - 2 - name.displayWidth
            grid.put(title, row: 1, column: 1, style: CellStyle(bold: true), limit: nameColumn - 2)
            grid.put(name, row: 1, column: nameColumn, style: CellStyle(dim: true))
            return
        }
        let name = clean(terminalName).truncated(toWidth: 20)
        let nameColumn = width - 2 - name.displayWidth
        grid.put(title, row: 1, column: 2, style: CellStyle(bold: true), limit: nameColumn - 3)
        grid.put(name, row: 1, column: nameColumn, style: CellStyle(dim: true))
    }

    /// Makes rows `top` and `top + 1` one double-height line inside the frame, its sides
    /// drawn at the line's first and last cell; false when the rows are not on the grid.
    func makeLargeLine(top: Int, into grid: inout TextGrid) -> Bool {
        guard grid.makeDoubleHeight(top: top) else { return false }
        grid.put("│", row: top, column: 0)
        grid.put("│", row: top, column: grid.columns(inRow: top) - 1)
        return true
    }

    /// Makes the large lines among `rows` normal, blank but for the frame's sides, so that
    /// a box or a message can be drawn over them in normal cells.
    func makeSingle(rows: ClosedRange<Int>, into grid: inout TextGrid) {
        for row in grid.makeSingle(rows: rows) {
            grid.put("│", row: row, column: 0)
            grid.put("│", row: row, column: grid.size.columns - 1)
        }
    }

    /// The entries of a list screen, one page, with the highlight and the page number.
    func drawList(_ state: MenuState, _ context: MenuContext, into grid: inout TextGrid) {
        let language = state.language
        let entries = state.entries(in: context)
        let capacity = state.pageCapacity(in: context)
        let first = state.page * capacity
        let limit = grid.size.columns - 4
        let large = state.largeGlyphs(in: context)
        for (offset, entry) in entries.dropFirst(first).prefix(capacity).enumerated() {
            let index = first + offset
            let row = MenuLayout.entryRow(offset, elderMode: state.elderMode)
            let selected = index == state.selection
            let (label, secondary, blocked) = describe(entry, language: language, context: context)
            let marker = "\(selected ? "▶" : " ") \(offset + 1)  "
            // A large entry (the row below it is its lower half) has room for one label.
            let largeEntry = large && makeLargeLine(top: row, into: &grid)
            let bilingual = secondary != nil && !largeEntry
            var style = selected ? CellStyle(bold: true, inverse: true) : CellStyle.plain
            if blocked != nil { style.dim = true }
            // On a large entry cells are double width: it runs from the frame's side to one
            // cell before the other side.
            let column = largeEntry ? 1 : MenuLayout.itemColumns.lowerBound + 1
            let lineEnd = largeEntry ? grid.columns(inRow: row) - 2 : column + limit
            // Only the number and the label are highlighted, so moving the highlight
            // rewrites those cells alone: at 9600 baud a bar across the whole entry took
            // three times as long to move.
            let head = marker + (bilingual ? label.truncated(toWidth: 16) : label)
            var end = grid.put(head, row: row, column: column, style: style, limit: lineEnd - column)
            if bilingual, let secondary {
                // Chinese first, the English label aligned in a second column.
                let secondColumn = column + marker.displayWidth + 16 + 2
                end = grid.put(secondary, row: row, column: secondColumn, style: CellStyle(dim: blocked != nil),
                               limit: lineEnd - secondColumn)
            }
            if let blocked {
                grid.put("  " + text(blocked, language), row: row, column: end, style: CellStyle(dim: true), limit: lineEnd - end)
            }
        }
        var footerRow = MenuLayout.footerRow(capacity: capacity, elderMode: state.elderMode)
        let pages = MenuLayout.pageCount(entries.count, capacity: capacity)
        if pages > 1 {
            let pageText = text("list.page", language)
                .replacing("{page}", with: String(state.page + 1)).replacing("{pages}", with: String(pages))
            grid.put(pageText, row: footerRow, column: 5, style: CellStyle(dim: true), limit: limit)
            footerRow += 1
        }
        if state.screen == .home {
            let elder = text(state.elderMode ? "home.elder-off" : "home.elder-on", language)
            grid.put("  \(MenuState.elderDigit)  " + elder, row: footerRow + 1, column: 3, limit: limit)
            grid.put("  \(MenuState.languageDigit)  " + text("home.language", language), row: footerRow + 2, column: 3, limit: limit)
        }
    }

    /// The label of an entry, its English second label in Chinese mode, and why it is
    /// blocked (a localization key), if it is.
    private func describe(_ entry: MenuState.Entry, language: Language, context: MenuContext) -> (String, String?, String?) {
        let bilingual = language == .chinese
        switch entry {
        case .service(let item):
            return (text(item.titleKey, language), bilingual ? text(item.titleKey, .english) : nil,
                    context.availability.blockingReason(for: item))
        case .search:
            return (text("guide.search.entry", language), bilingual ? text("guide.search.entry", .english) : nil, nil)
        case .stage(let id):
            guard let stage = context.catalog.stage(id: id) else { return (id, nil, nil) }
            let hall = text(stage.audience == .person ? "guide.person" : "guide.legal", language)
            return (clean("\(hall)·\(stage.name(language))"), bilingual ? clean(stage.name.english) : nil, nil)
        case .billKind(let kind):
            return (text(kind.labelKey, language), bilingual ? text(kind.labelKey, .english) : nil, nil)
        case .item(let id), .applyItem(let id):
            guard let item = context.catalog.item(id: id) else { return (id, nil, nil) }
            let kind = item.kind == .immediate
                ? text("guide.immediate.short", language)
                : text("guide.promised.short", language).replacing("{days}", with: String(item.timeLimitDays))
            let name = clean(item.name(language))
            return (bilingual ? name : "\(name) (\(kind))", bilingual ? kind : nil, nil)
        }
    }

    private func drawSearch(_ state: MenuState, _ context: MenuContext, into grid: inout TextGrid) {
        let language = state.language
        let limit = grid.size.columns - 5
        let prompt = text("guide.search.prompt", language)
        let end = grid.put(prompt, row: 3, column: 3, limit: limit)
        // The query is what a citizen typed: drawn sanitized, cursor after it.
        let queryEnd = grid.put(clean(state.searchQuery), row: 3, column: end, style: CellStyle(underline: true), limit: limit - end)
        grid.put("_", row: 3, column: queryEnd, style: CellStyle(bold: true))
        let entries = state.entries(in: context)
        if state.searchQuery.isEmpty {
            grid.put(text("guide.search.hint", language), row: 4, column: 3, style: CellStyle(dim: true), limit: limit)
        } else if entries.isEmpty {
            grid.put(text("guide.search.none", language), row: 4, column: 3, limit: limit)
        } else {
            let count = text("guide.search.count", language).replacing("{count}", with: String(entries.count))
            grid.put(count, row: 4, column: 3, style: CellStyle(dim: true), limit: limit)
            drawList(state, context, into: &grid)
        }
    }

    private func drawGuide(_ item: CatalogItem, _ state: MenuState, _ context: MenuContext, into grid: inout TextGrid) {
        let language = state.language
        let width = grid.size.columns - 6
        let lines = GuideText.lines(of: item, language: language, width: width, labels: localization)
        let rows = GuideText.pageRows(size: context.size, elderMode: state.elderMode)
        let pages = max(1, (lines.count + rows - 1) / rows)
        let page = min(state.page, pages - 1)
        if language == .chinese {
            grid.put(clean(item.name.english), row: 3, column: 3, style: CellStyle(dim: true), limit: width)
        }
        for (offset, line) in lines.dropFirst(page * rows).prefix(rows).enumerated() {
            grid.put(line, row: 5 + offset, column: 3, limit: width)
        }
        if pages > 1 {
            let pageText = text("list.page", language)
                .replacing("{page}", with: String(page + 1)).replacing("{pages}", with: String(pages))
            grid.put(pageText, row: grid.size.rows - 4, column: 3, style: CellStyle(dim: true), limit: width)
        }
    }

    /// A one-line message above the footer.
    func drawNotice(_ message: String, into grid: inout TextGrid) {
        let row = grid.size.rows - 4
        makeSingle(rows: row...row, into: &grid)
        grid.fill(row: row, column: 1, count: grid.size.columns - 2)
        grid.put(message, row: row, column: 3, style: CellStyle(bold: true, inverse: true), limit: grid.size.columns - 6)
    }

    /// A technician's message on the notice line, after "通知 Notice:" (stripped again here).
    func drawBroadcast(_ message: String, into grid: inout TextGrid) {
        drawNotice("\(text("broadcast.label", .chinese)) \(text("broadcast.label", .english)): \(clean(message))", into: &grid)
    }

    /// The "need more time?" box with its countdown, over the middle of the screen.
    private func drawIdleWarning(_ remaining: Int, language: Language, into grid: inout TextGrid) {
        let width = min(60, grid.size.columns - 8)
        let left = (grid.size.columns - width) / 2
        let top = grid.size.rows / 2 - 3
        makeSingle(rows: top...(top + 5), into: &grid)
        let body = [
            text("idle.question", .chinese) + "  " + text("idle.question", .english),
            text("idle.continue", language).replacing("{seconds}", with: String(remaining)),
        ]
        grid.put("┌" + String(repeating: "─", count: width - 2) + "┐", row: top, column: left)
        for (offset, line) in ([""] + body + [""]).enumerated() {
            let row = top + 1 + offset
            grid.fill(row: row, column: left, count: width)
            grid.put("│", row: row, column: left)
            grid.put("│", row: row, column: left + width - 1)
            let lineWidth = min(line.displayWidth, width - 4)
            grid.put(line, row: row, column: left + (width - lineWidth) / 2, style: CellStyle(bold: true), limit: width - 4)
        }
        grid.put("└" + String(repeating: "─", count: width - 2) + "┘", row: top + 5, column: left)
    }

    /// The attract screen, in both languages: the 24-hour zone's welcome, or at a bank
    /// desk the desk's, under the branch's name when the hall has one.
    private func drawAttract(profile: TerminalProfile, into grid: inout TextGrid) {
        let welcome = profile == .enterprise ? "desk.welcome" : "attract.welcome"
        var lines: [(String, CellStyle)] = []
        let hall = clean(hallName).truncated(toWidth: grid.size.columns - 4)
        if profile == .enterprise, !hall.isEmpty { lines += [(hall, CellStyle(bold: true)), ("", .plain)] }
        lines += [
            (text(welcome, .chinese), CellStyle(bold: true)),
            (text(welcome, .english), .plain),
            ("", .plain),
            (text("attract.start", .chinese), .plain),
            (text("attract.start", .english), CellStyle(dim: true)),
        ]
        drawCentred(lines, into: &grid)
    }

    /// The home screen's title: the 24-hour zone's, or the bank desk's ("企业开办服务专区"),
    /// after the branch's name when the hall has one.
    func homeTitle(_ profile: TerminalProfile, _ language: Language) -> String {
        guard profile == .enterprise else { return text("home.title", language) }
        let hall = clean(hallName).trimmingCharacters(in: .whitespaces)
        return hall.isEmpty ? text("desk.title", language) : hall + " · " + text("desk.title", language)
    }

    /// The words for picking up the result: at the hall's window, or at a bank desk at
    /// this branch.
    func pickupKey(_ profile: TerminalProfile) -> String {
        profile == .enterprise ? "form.delivery.pickup-branch" : "form.delivery.pickup"
    }

    /// The localization key naming `method` on a terminal of `profile`.
    func deliveryKey(_ method: Delivery.Method, _ profile: TerminalProfile) -> String {
        method == .pickup ? pickupKey(profile) : "form.delivery.\(method.rawValue)"
    }

    /// The longest technician's message the maintenance screen shows, in lines.
    public static let lockedMessageLines = 3

    /// The maintenance screen of a locked terminal, in both languages, with the
    /// technician's message (stripped again here, wrapped, at most three lines) between
    /// the title and the hint to use another terminal.
    private func drawLocked(message: String?, into grid: inout TextGrid) {
        var lines: [(String, CellStyle)] = [
            (text("locked.title", .chinese), CellStyle(bold: true)),
            (text("locked.title", .english), .plain),
            ("", .plain),
        ]
        let cleaned = message.map(clean)?.trimmingCharacters(in: .whitespaces) ?? ""
        if !cleaned.isEmpty {
            var wrapped = GuideText.wrap(cleaned, width: grid.size.columns - 4, indent: 0)
            if wrapped.count > Self.lockedMessageLines {
                wrapped = Array(wrapped.prefix(Self.lockedMessageLines))
                wrapped[wrapped.count - 1] = (wrapped[wrapped.count - 1] + "…").truncated(toWidth: grid.size.columns - 4)
            }
            lines += wrapped.map { ($0, CellStyle.plain) } + [("", .plain)]
        }
        lines += [
            (text("locked.hint", .chinese), .plain),
            (text("locked.hint", .english), CellStyle(dim: true)),
        ]
        drawCentred(lines, into: &grid)
    }

    /// Lines centred on an otherwise empty grid, the block in the middle of its rows.
    private func drawCentred(_ lines: [(String, CellStyle)], into grid: inout TextGrid) {
        let top = max(0, (grid.size.rows - lines.count) / 2)
        for (offset, (line, style)) in lines.enumerated() where !line.isEmpty {
            let width = min(line.displayWidth, grid.size.columns)
            let column = max(0, (grid.size.columns - width) / 2)
            grid.put(line, row: top + offset, column: column, style: style)
        }
    }
}
