extension MenuState {
    /// The form on the screen, if the screen is a form.
    public var form: ApplicationForm? {
        if case .form(let form, _) = screen { form } else { nil }
    }

    /// The form's effect is running (storing, asking the central service): "please wait".
    public var waiting: Bool {
        if case .form(_, let waiting) = screen { waiting } else { false }
    }

    /// The slip of the application just submitted, while its screens (the slip, the
    /// rating that follows it) are shown.
    public var slip: AcceptanceSlip? {
        switch screen {
        case .submitted(let slip): slip
        case .rating(let slip), .ratingReason(_, let slip), .ratingDone(let slip): slip
        default: nil
        }
    }

    /// The level chosen on the rating screen, while a reason is asked.
    public var ratingLevel: Int? {
        if case .ratingReason(let level, _) = screen { level } else { nil }
    }

    /// The answer of a progress query, on its result screen.
    public var progress: CaseProgress? {
        if case .progressResult(let progress) = screen { progress } else { nil }
    }

    /// The answer of an insurance lookup, on its result screen.
    public var insurance: LookupAnswer<InsuranceSummary>? {
        if case .insuranceResult(let answer) = screen { answer } else { nil }
    }

    /// The screen is a form (of any kind).
    public var isOnForm: Bool { form != nil }
}
