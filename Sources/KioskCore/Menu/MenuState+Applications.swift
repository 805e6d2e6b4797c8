extension MenuState {
    /// The catalog item of the enterprise-opening bundle (profile `enterprise`).
    public static let bundleItemID = "enterprise-opening-bundle"
    /// The reasons offered after a low rating, as keys (`rating.reason.<key>`).
    public static let ratingReasons = ["slow", "complicated", "unclear", "staff", "other"]

    /// Opens the form of a home-menu service that starts with one; false when the
    /// service has no form.
    mutating func openServiceForm(_ item: ServiceItem, _ context: MenuContext) -> Bool {
        switch item {
        case .apply:
            push(.applyList)
        case .enterpriseOpening:
            guard let bundle = context.catalog.item(id: Self.bundleItemID) else { return false }
            startApplication(bundle)
        case .caseProgress:
            push(.form(ApplicationForm(purpose: .progress, fields: [
                FormField(id: FormFieldID.caseNumber, type: .text, label: .empty, required: true, maxLength: 40, labelKey: "progress.number"),
                FormField(id: FormFieldID.idSuffix, type: .text, label: .empty, required: true, maxLength: 6, labelKey: "progress.id-suffix"),
            ])))
        case .socialInsurance:
            openProved(.insurance, context)
        case .rate:
            push(.rating(after: nil))
        case .payBills:
            push(.payKinds)
        default:
            return false
        }
        return true
    }

    mutating func startApplication(_ item: CatalogItem) {
        push(.form(ApplicationForm(purpose: .application(itemID: item.id, acceptWithGaps: item.acceptWithGaps), fields: item.fields)))
    }

    mutating func handleForm(_ key: Key, _ context: MenuContext) -> [MenuEffect] {
        guard var current = form, !waiting else { return [] }
        if key == .home {
            goHome()
            return []
        }
        let outcome = current.handle(key, today: context.today)
        screen = .form(current)
        switch outcome {
        case .stay:
            return []
        case .leave:
            goBack()
            return []
        case .complete:
            switch current.purpose {
            case .application:
                guard var draft = current.draft else { return [] }
                // The proof goes with the application only when it proves its applicant.
                if let proof = proof(at: context.now),
                   draft.values.values.contains(where: { $0.uppercased() == proof.idNumber.uppercased() }) {
                    draft.proof = proof.credential
                }
                screen = .form(current, waiting: true)
                return [.submitApplication(draft)]
            case .progress:
                screen = .form(current, waiting: true)
                return [.queryProgress(CaseQuery(
                    number: current.values[FormFieldID.caseNumber] ?? "", idSuffix: current.values[FormFieldID.idSuffix] ?? ""
                ))]
            case .insurance:
                guard let lookup = insuranceLookup(current, context) else { return [] }
                screen = .form(current, waiting: true)
                return [lookup]
            }
        }
    }

    /// The answers of the effects a form started.
    mutating func handleAnswer(_ event: MenuEvent) -> [MenuEffect] {
        guard case .form(let current, waiting: true) = screen else { return [] }
        screen = .form(current)
        switch event {
        case .applicationSubmitted(var submitted):
            // The desk's kind decides the slip's pickup words (a bank desk's: this branch).
            submitted.profile = profile
            // The form's personal data is not needed any more: only the slip stays.
            replaceTop(with: .submitted(submitted))
            return [.printAcceptanceSlip(submitted)]
        case .applicationFailed:
            replaceTop(with: .submitFailed)
        case .progressAnswered(let answer):
            guard let answer else {
                notice = "progress.not-found"
                return []
            }
            replaceTop(with: .progressResult(answer))
        case .insuranceAnswered(let answer):
            if case .found = answer {
                replaceTop(with: .insuranceResult(answer))
            } else if answer == .proofRefused {
                // The centre no longer takes the proof (a token it expired early): prove again.
                proof = nil
                replaceTop(with: .proveIdentity(.insurance))
                notice = "identity.expired"
            } else {
                notice = answer == .notFound ? "insurance.not-found" : "insurance.unavailable"
            }
        default:
            break
        }
        return []
    }

    mutating func handleSubmitted(_ key: Key) -> [MenuEffect] {
        switch key {
        case .enter:
            screen = .rating(after: slip)
        case .character("0"), .home, .escape:
            goHome()
        default:
            break
        }
        return []
    }

    mutating func handleRating(_ key: Key) -> [MenuEffect] {
        switch (screen, key) {
        case (.rating, .character(let character)):
            guard let level = character.wholeNumberValue, (1...5).contains(level) else {
                if character == "0" { goHome() }
                return []
            }
            if level <= 2 {
                screen = .ratingReason(level: level, after: slip)
                return []
            }
            return rate(level: level, reason: nil)
        case (.ratingReason, .character(let character)):
            guard let index = character.wholeNumberValue, (1...Self.ratingReasons.count).contains(index), let level = ratingLevel
            else { return [] }
            return rate(level: level, reason: Self.ratingReasons[index - 1])
        case (.ratingReason, .enter):
            guard let level = ratingLevel else { return [] }
            return rate(level: level, reason: nil)
        case (.ratingReason, .escape), (.ratingReason, .backspace):
            screen = .rating(after: slip)
        case (.rating, .escape), (.rating, .backspace):
            goBack()
        case (.ratingDone, _):
            goHome()
        default:
            break
        }
        return []
    }

    private mutating func rate(level: Int, reason: String?) -> [MenuEffect] {
        let rated = slip
        screen = .ratingDone(after: rated)
        return [.rate(level: level, reason: reason, applicationNumber: rated?.applicationNumber, itemID: rated?.itemID)]
    }

    /// Results replace the form they answer, so Back from a result goes to where the form
    /// was opened, not into the (cleared) form.
    mutating func replaceTop(with next: Screen) {
        screen = next
        selection = 0
        page = 0
    }
}

extension LocalizedText {
    /// For fields whose label comes from a localization key.
    public static let empty = LocalizedText(chinese: "", english: "")
}
