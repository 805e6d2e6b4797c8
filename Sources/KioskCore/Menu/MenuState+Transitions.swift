extension MenuState {
    /// The key that opens the language switch from any screen.
    public static let languageKey = Key.function(2)
    /// The digit on the home menu that switches language.
    public static let languageDigit: Character = "9"

    /// Applies `event`; afterwards the state is the screen to draw, and the returned
    /// effects are what the session must carry out, in order.
    public mutating func handle(_ event: MenuEvent) -> [MenuEffect] {
        switch event {
        case .reset:
            return endSession(.reset)
        case .key(let key):
            if key == Self.languageKey {
                language = language.other
                return []
            }
            switch screen {
            case .attract: return wake()
            case .home: return handleHome(key)
            case .service: return handleService(key)
            }
        }
    }

    private mutating func wake() -> [MenuEffect] {
        screen = .home
        selection = 0
        return [.sessionStarted]
    }

    private mutating func handleHome(_ key: Key) -> [MenuEffect] {
        switch key {
        case .character(Self.languageDigit):
            language = language.other
        case .character(let character):
            if let digit = character.wholeNumberValue, digit >= 1, digit <= items.count {
                selection = digit - 1
                screen = .service(items[digit - 1])
            }
        case .up:
            selection = (selection + items.count - 1) % items.count
        case .down, .tab:
            selection = (selection + 1) % items.count
        case .home, .pageUp:
            selection = 0
        case .end, .pageDown:
            selection = items.count - 1
        case .enter:
            screen = .service(items[selection])
        case .click(let position):
            if let index = MenuLayout.homeItemIndex(at: position, itemCount: items.count) {
                selection = index
                screen = .service(items[index])
            }
        case .escape:
            return endSession(.citizenLeft)
        default:
            break
        }
        return []
    }

    private mutating func handleService(_ key: Key) -> [MenuEffect] {
        switch key {
        case .escape, .backspace, .enter, .character("0"):
            screen = .home
        default:
            break
        }
        return []
    }

    private mutating func endSession(_ reason: SessionEndReason) -> [MenuEffect] {
        let wasInSession = screen != .attract
        screen = .attract
        selection = 0
        language = .chinese
        return wasInSession ? [.sessionEnded(reason: reason)] : []
    }
}
