extension MenuState {
    /// The key that switches language from any screen.
    public static let languageKey = Key.function(2)
    /// On the home menu: the digit that switches language, and the one for elder mode.
    public static let languageDigit: Character = "9"
    public static let elderDigit: Character = "8"
    /// The longest search text accepted.
    public static let maximumQueryLength = 20

    /// What choosing a list entry does.
    public enum Entry: Sendable, Hashable {
        case service(ServiceItem)
        case search
        case stage(String)
        case item(String)
        /// An item to apply for.
        case applyItem(String)
        /// A kind of bill to pay.
        case billKind(BillKind)
    }

    /// The entries of the current screen, in order, over all pages; empty for screens that
    /// are not lists.
    public func entries(in context: MenuContext) -> [Entry] {
        switch screen {
        case .home:
            return items.map(Entry.service)
        case .guideStages:
            return [.search] + context.catalog.stages.filter { !$0.items(for: profile).isEmpty }.map { .stage($0.id) }
        case .guideStage(let id):
            return (context.catalog.stage(id: id)?.items(for: profile) ?? []).map { .item($0.id) }
        case .guideSearch:
            return context.catalog.search(searchQuery, profile: profile).map { .item($0.id) }
        case .applyList:
            return context.catalog.stages.flatMap { $0.items(for: profile) }
                .filter { $0.action == .apply && $0.id != Self.bundleItemID }.map { .applyItem($0.id) }
        case .payKinds:
            return BillKind.allCases.map(Entry.billKind)
        case .attract, .locked, .service, .guideItem, .form, .submitted, .submitFailed, .rating, .ratingReason, .ratingDone,
             .progressResult, .insuranceResult, .payAccount, .payBill, .payQR, .payResult, .proveIdentity, .oneTimeCode:
            return []
        }
    }

    /// Entries per page at the context's size and this state's mode.
    public func pageCapacity(in context: MenuContext) -> Int {
        MenuLayout.pageCapacity(size: context.size, elderMode: elderMode)
    }

    /// Applies `event`; afterwards the state is the screen to draw, and the returned
    /// effects are what the session must carry out, in order.
    public mutating func handle(_ event: MenuEvent, context: MenuContext = MenuContext()) -> [MenuEffect] {
        switch event {
        case .reset:
            return isLocked ? [] : endSession(.reset)
        case .lock(let message):
            let effects = isLocked ? [] : endSession(.locked)
            screen = .locked(message: message)
            return effects
        case .unlock:
            if isLocked { self = MenuState(profile: profile) }
            return []
        case .printed(let outcome):
            return handlePrinted(outcome)
        case .idleTimeout:
            return endSession(.idle)
        case .idleCountdown(let remaining):
            if !isWaiting { idleWarning = max(0, remaining) }
            return []
        case .applicationSubmitted, .applicationFailed, .progressAnswered, .insuranceAnswered:
            return handleAnswer(event)
        case .billAnswered, .orderCreated, .paymentFollowed:
            return handlePaymentAnswer(event)
        case .codeRequested, .codeChecked:
            return handleCodeAnswer(event, context)
        case .identityRead(let identity):
            // A locked terminal keeps nothing of a card laid on its reader.
            return isLocked ? [] : handleIdentity(identity)
        case .ratingStored:
            return []
        case .ratingFailed:
            // Thanks were shown too early: back to the levels, with the reason in words.
            if case .ratingDone(let slip) = screen {
                screen = .rating(after: slip)
                notice = "rating.failed"
            }
            return []
        case .key(let key):
            // A locked terminal ignores every citizen key.
            if isLocked { return [] }
            // Out of service: the screen says why; keys wait for space to return.
            guard context.availability.storage != .full else { return [] }
            if idleWarning != nil {
                // Any key answers "need more time?": the key itself does nothing else.
                idleWarning = nil
                return []
            }
            notice = nil
            printing.outcome = nil
            if key == Self.languageKey {
                language = language.other
                return []
            }
            switch screen {
            case .attract: return wake()
            case .locked: return []
            case .home: return handleHome(key, context)
            case .service(.reprint): return handleReprint(key)
            case .service: return handleService(key)
            case .guideItem(let id): return handleGuideItem(id, key, context)
            case .guideSearch: return handleSearch(key, context)
            case .guideStages, .guideStage, .applyList: return handleList(key, context)
            case .form: return handleForm(key, context)
            case .submitted: return handleSubmitted(key)
            case .rating, .ratingReason, .ratingDone: return handleRating(key)
            case .insuranceResult(.found(let summary)): return handleInsuranceResult(summary, key, context)
            case .submitFailed, .progressResult, .insuranceResult: return handleService(key)
            case .payKinds: return handleList(key, context)
            case .payAccount(let kind, let typed, let waiting): return waiting ? [] : handlePayAccount(kind, typed: typed, key)
            case .payBill(let bill, let waiting): return waiting ? [] : handlePayBill(bill, key)
            case .payQR(let bill, let order, let qr, let cancelling): return cancelling ? [] : handlePayQR(bill, order, qr: qr, key)
            case .payResult: return handlePayResult(key)
            case .proveIdentity(let service): return handleProveIdentity(service, key, context)
            case .oneTimeCode(let flow, let service): return handleCodeKey(flow, service, key, context)
            }
        }
    }

    mutating func wake() -> [MenuEffect] {
        screen = .home
        selection = 0
        page = 0
        return [.sessionStarted]
    }

    private mutating func handleHome(_ key: Key, _ context: MenuContext) -> [MenuEffect] {
        switch key {
        case .character(Self.languageDigit):
            language = language.other
            return []
        case .character(Self.elderDigit):
            elderMode.toggle()
            selection = 0
            page = 0
            return []
        case .escape, .backspace:
            return endSession(.citizenLeft)
        default:
            return handleList(key, context)
        }
    }

    /// Keys of every list screen: digits choose on the page, arrows move, pages turn.
    private mutating func handleList(_ key: Key, _ context: MenuContext) -> [MenuEffect] {
        let entries = entries(in: context)
        let capacity = pageCapacity(in: context)
        let pages = MenuLayout.pageCount(entries.count, capacity: capacity)
        switch key {
        case .character("0"):
            goHome()
        case .character(let character):
            if let digit = character.wholeNumberValue, digit >= 1, digit <= capacity {
                let index = page * capacity + digit - 1
                if index < entries.count { return choose(entries[index], at: index, context) }
            }
        case .up where !entries.isEmpty:
            select((selection + entries.count - 1) % entries.count, capacity: capacity)
        case .down where !entries.isEmpty, .tab where !entries.isEmpty:
            select((selection + 1) % entries.count, capacity: capacity)
        case .right, .pageDown:
            if page + 1 < pages { select((page + 1) * capacity, capacity: capacity) }
        case .left, .pageUp:
            if page > 0 { select((page - 1) * capacity, capacity: capacity) }
        case .home:
            select(0, capacity: capacity)
        case .end where !entries.isEmpty:
            select(entries.count - 1, capacity: capacity)
        case .enter where selection < entries.count:
            return choose(entries[selection], at: selection, context)
        case .click(let position):
            let onPage = min(capacity, entries.count - page * capacity)
            if let index = MenuLayout.entryIndex(
                at: position, count: onPage, elderMode: elderMode, large: largeGlyphs(in: context)
            ) {
                return choose(entries[page * capacity + index], at: page * capacity + index, context)
            }
        case .escape, .backspace:
            goBack()
        default:
            break
        }
        return []
    }

    private mutating func select(_ index: Int, capacity: Int) {
        selection = index
        page = index / capacity
    }

    private mutating func choose(_ entry: Entry, at index: Int, _ context: MenuContext) -> [MenuEffect] {
        selection = index
        switch entry {
        case .service(let item):
            if let reason = context.availability.blockingReason(for: item) {
                notice = reason
                return []
            }
            if item == .serviceGuide {
                push(.guideStages)
            } else if !openServiceForm(item, context) {
                push(.service(item))
            }
        case .search:
            searchQuery = ""
            push(.guideSearch)
        case .stage(let id):
            push(.guideStage(id))
        case .item(let id):
            push(.guideItem(id))
        case .applyItem(let id):
            if let item = context.catalog.item(id: id) { startApplication(item) }
        case .billKind(let kind):
            push(.payAccount(kind, typed: ""))
        }
        return []
    }

    private mutating func handleService(_ key: Key) -> [MenuEffect] {
        switch key {
        case .escape, .backspace, .enter: goBack()
        case .character("0"), .home: goHome()
        default: break
        }
        return []
    }

    private mutating func handleGuideItem(_ id: String, _ key: Key, _ context: MenuContext) -> [MenuEffect] {
        let pages = GuideText.pageCount(
            item: context.catalog.item(id: id), language: language, size: context.size, elderMode: elderMode
        )
        switch key {
        case .down, .pageDown, .right, .character(" "):
            if page + 1 < pages { page += 1 }
        case .up, .pageUp, .left:
            if page > 0 { page -= 1 }
        case .enter, .character("p"), .character("P"):
            guard context.availability.printer else {
                notice = "print.unavailable"
                return []
            }
            notice = "print.sent"
            return [.printGuide(itemID: id)]
        case .character("a"), .character("A"):
            if let item = context.catalog.item(id: id), item.action == .apply, item.profiles.contains(profile) {
                startApplication(item)
            }
        case .character("0"):
            goHome()
        case .escape, .backspace:
            goBack()
        default:
            break
        }
        return []
    }

    private mutating func handleSearch(_ key: Key, _ context: MenuContext) -> [MenuEffect] {
        let hasResults = !entries(in: context).isEmpty
        switch key {
        case .character(let character) where character.isNumber && hasResults:
            return handleList(key, context)
        case .character("0") where searchQuery.isEmpty:
            goHome()
        case .character(let character):
            appendToQuery(String(character), context)
        case .paste(let text):
            appendToQuery(text, context)
        case .backspace where !searchQuery.isEmpty:
            searchQuery.removeLast()
            select(0, capacity: pageCapacity(in: context))
        default:
            return handleList(key, context)
        }
        return []
    }

    private mutating func appendToQuery(_ text: String, _ context: MenuContext) {
        let clean = UntrustedText(text).sanitized
        for character in clean where searchQuery.count < Self.maximumQueryLength {
            searchQuery.append(character)
        }
        select(0, capacity: pageCapacity(in: context))
    }

    mutating func push(_ next: Screen) {
        backStack.append(Position(screen: screen, selection: selection, page: page))
        screen = next
        selection = 0
        page = 0
    }

    /// Back to the screen this one was opened from. What this screen held of the citizen
    /// (its associated value) is gone with it.
    mutating func goBack() {
        guard let previous = backStack.popLast() else {
            goHome()
            return
        }
        screen = previous.screen
        selection = previous.selection
        page = previous.page
    }

    mutating func goHome() {
        backStack.removeAll()
        screen = .home
        selection = 0
        page = 0
    }


    /// Back to the attract screen with a fresh state: every field the citizen filled is
    /// gone from memory, not only from the screen, and the session's unstarted print jobs
    /// are to be held.
    private mutating func endSession(_ reason: SessionEndReason) -> [MenuEffect] {
        let wasInSession = screen != .attract
        let printed = printing.ownNumbers
        self = MenuState(profile: profile)
        guard wasInSession else { return [] }
        return (printed.isEmpty ? [] : [.holdPrintJobs(printed)]) + [.sessionEnded(reason: reason)]
    }
}
