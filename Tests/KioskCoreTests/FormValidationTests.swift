import Foundation
import KioskCore
import Testing

@Suite struct ResidentIDTests {
    let today = CalendarDate(year: 2026, month: 11, day: 23)!
    let valid = ["11010519491231002X", "110101199003074477", "440308199901011234"]

    @Test func acceptsKnownValidNumbersAndALowercaseX() {
        // Given the standard's own example and other numbers with correct check digits
        for number in valid + ["11010519491231002x"] {
            // When each is checked / Then it is accepted, normalised to uppercase
            guard case .success(let id) = ResidentID.validate(number, today: today) else {
                Issue.record("\(number) refused")
                continue
            }
            #expect(id.value == number.uppercased())
        }
    }

    @Test func catchesEverySingleCharacterSubstitution() {
        // Given valid numbers
        for number in valid {
            let characters = Array(number)
            for position in characters.indices {
                for replacement in Array("0123456789X") where replacement != characters[position] {
                    // When one character is replaced
                    var mutated = characters
                    mutated[position] = replacement
                    // Then the result is refused
                    if case .success = ResidentID.validate(String(mutated), today: today) {
                        Issue.record("\(String(mutated)) accepted")
                    }
                }
            }
        }
    }

    @Test func catchesEveryAdjacentSwap() {
        for number in valid {
            let characters = Array(number)
            for position in 0..<(characters.count - 1) where characters[position] != characters[position + 1] {
                var mutated = characters
                mutated.swapAt(position, position + 1)
                if case .success = ResidentID.validate(String(mutated), today: today) {
                    Issue.record("\(String(mutated)) accepted")
                }
            }
        }
    }

    @Test func namesTheProblem() {
        // Given numbers wrong in one way each / Then the message says which way
        #expect(ResidentID.validate("1101051949123100", today: today) == .failure(.length))
        #expect(ResidentID.validate("11010519491231002Y", today: today) == .failure(.characters))
        #expect(ResidentID.validate("99010519491231002X", today: today).failureValue == .region)
        // 30 February does not exist; a birth after today is impossible.
        #expect(ResidentID.validate(withCheck("11010519490230002"), today: today) == .failure(.birthDate))
        #expect(ResidentID.validate(withCheck("11010520301231002"), today: today) == .failure(.birthDate))
        #expect(ResidentID.validate("110105194912310021", today: today) == .failure(.checkDigit))
    }

    @Test func describesItselfMasked() {
        let id = try! ResidentID.validate("11010519491231002X", today: today).get()
        #expect("\(id)" == "1101**********002X")
    }

    private func withCheck(_ seventeen: String) -> String {
        seventeen + String(ResidentID.checkCharacter(for: seventeen.map { Int(String($0))! }))
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let failure) = self { failure } else { nil }
    }
}

@Suite struct CreditCodeTests {
    let valid = ["91350100M000100Y43", "91310000775785552L", "9144030071526726XG", "91110108551385082Q"]

    @Test func acceptsKnownValidCodes() throws {
        for code in valid {
            let checked = try CreditCode.validate(code).get()
            #expect(checked.passesCheck, "\(code)")
        }
    }

    @Test func flagsEverySingleSubstitutionAndAdjacentSwapForReview() throws {
        // Given valid codes
        for code in valid {
            let characters = Array(code)
            var mutations: [[Character]] = []
            for position in characters.indices {
                for replacement in CreditCode.alphabet where replacement != characters[position] {
                    var mutated = characters
                    mutated[position] = replacement
                    mutations.append(mutated)
                }
                if position + 1 < characters.count, characters[position] != characters[position + 1] {
                    var mutated = characters
                    mutated.swapAt(position, position + 1)
                    mutations.append(mutated)
                }
            }
            // When each mutation is checked
            for mutated in mutations {
                // Then it is accepted but fails the check (manual review), never passes
                let checked = try CreditCode.validate(String(mutated)).get()
                #expect(!checked.passesCheck, "\(String(mutated))")
            }
        }
    }

    @Test func refusesWrongLengthAndLettersOutsideTheAlphabet() {
        #expect(CreditCode.validate("91350100M000100Y4") == .failure(.length))
        // I, O, S, V and Z are not in the alphabet.
        #expect(CreditCode.validate("91350100M000100YI3") == .failure(.characters))
    }
}

@Suite struct FormFieldCheckTests {
    let today = CalendarDate(year: 2026, month: 11, day: 23)!

    func field(_ type: FormField.FieldType, required: Bool = true, maxLength: Int? = nil, maxFen: Int64? = nil,
               choices: [String] = [], multiple: Bool = false) -> FormField {
        FormField(
            id: "f", type: type, label: LocalizedText(chinese: "字段", english: "Field"), required: required,
            maxLength: maxLength, maxFen: maxFen,
            choices: choices.map { LocalizedText(chinese: $0, english: $0) }, multiple: multiple
        )
    }

    @Test func mobileNumbersAreElevenDigitsStartingWithOneThenThreeToNine() {
        #expect(field(.mobile).check("13812345678", today: today) == .valid(value: "13812345678", needsReview: false))
        for bad in ["1381234567", "12812345678", "23812345678", "1381234567a", "１３８１２３４５６７８"] {
            #expect(field(.mobile).check(bad, today: today) == .invalid(messageKey: "form.error.mobile"), "\(bad)")
        }
    }

    @Test func emptyIsAnErrorOnlyWhenRequired() {
        #expect(field(.text, maxLength: 10).check("  ", today: today) == .invalid(messageKey: "form.error.required"))
        #expect(field(.text, required: false, maxLength: 10).check("", today: today) == .empty)
    }

    @Test func textIsStrippedOfControlsAndLimitedInLength() {
        #expect(field(.text, maxLength: 5).check("张\u{1B}[2J三", today: today) == .valid(value: "张[2J三", needsReview: false))
        #expect(field(.text, maxLength: 2).check("张三丰", today: today) == .invalid(messageKey: "form.error.too-long"))
    }

    @Test func amountsBecomeFenAndRespectTheirMaximum() {
        #expect(field(.amount).check("12.3", today: today) == .valid(value: "1230", needsReview: false))
        #expect(field(.amount).check("¥0.05", today: today) == .valid(value: "5", needsReview: false))
        #expect(field(.amount).check("1.234", today: today) == .invalid(messageKey: "form.error.amount"))
        #expect(field(.amount).check("0", today: today) == .invalid(messageKey: "form.error.amount"))
        #expect(field(.amount, maxFen: 1000).check("10.01", today: today) == .invalid(messageKey: "form.error.amount.max"))
    }

    @Test func datesMustExist() {
        #expect(field(.date).check("2024-02-29", today: today) == .valid(value: "2024-02-29", needsReview: false))
        #expect(field(.date).check("20230229", today: today) == .invalid(messageKey: "form.error.date"))
    }

    @Test("A date before the year 1000 is kept with a four-digit year and accepted again as kept (found by the validators fuzzer)")
    func earlyYearsKeepFourDigits() {
        // Given a date field and the date 0999-01-01
        // When it is checked, and what was kept is checked again
        let kept = field(.date).check("0999-01-01", today: today)
        // Then it is kept as typed (it was kept as 999-01-01, which no date field accepts)
        #expect(kept == .valid(value: "0999-01-01", needsReview: false))
        #expect(field(.date).check("0999-01-01", today: today) == kept)
        #expect(CalendarDate(year: 7, month: 3, day: 1)?.description == "0007-03-01")
    }

    @Test func choicesTakeNumbersAndKeepStableKeys() {
        let single = field(.choice, choices: ["Business licence", "Bank account"])
        #expect(single.check("2", today: today) == .valid(value: "bank-account", needsReview: false))
        #expect(single.check("1,2", today: today) == .invalid(messageKey: "form.error.choice"))
        #expect(single.check("3", today: today) == .invalid(messageKey: "form.error.choice"))
        let many = field(.choice, choices: ["Business licence", "Seal engraving", "Bank account"], multiple: true)
        #expect(many.check("3 1，3", today: today) == .valid(value: "business-licence,bank-account", needsReview: false))
    }

    @Test func aCreditCodeFailingItsCheckIsAcceptedForReview() {
        #expect(field(.creditCode).check("91350100M000100Y44", today: today)
            == .valid(value: "91350100M000100Y44", needsReview: true))
    }
}

@Suite struct ApplicationNumberTests {
    @Test func roundTripsAndCatchesTypingMistakes() throws {
        // Given a number issued on a day
        let number = ApplicationNumber(date: CalendarDate(year: 2026, month: 11, day: 23)!, sequence: 42)
        #expect(number.value.hasPrefix("A261123-00042-"))
        // When it is typed back in lowercase without dashes / Then it parses to itself
        #expect(ApplicationNumber(parsing: number.value.lowercased().replacingOccurrences(of: "-", with: "")) == number)
        // When any digit is changed or two neighbours swapped / Then the check catches it
        let compact = Array(number.value.filter { $0 != "-" })
        for position in 1..<(compact.count - 1) {
            for digit in Array("0123456789") where digit != compact[position] {
                var mutated = compact
                mutated[position] = digit
                #expect(ApplicationNumber(parsing: String(mutated)) == nil, "\(String(mutated))")
            }
            if position + 1 < compact.count - 1, compact[position] != compact[position + 1] {
                var mutated = compact
                mutated.swapAt(position, position + 1)
                #expect(ApplicationNumber(parsing: String(mutated)) == nil, "\(String(mutated))")
            }
        }
    }
}

@Suite struct KioskApplicationNumberTests {
    @Test func twoKiosksIssuingTheirFirstNumberOfTheDayNeverCollide() throws {
        // Given two kiosks of one hall, each storing its first application of the day
        let day = CalendarDate(year: 2026, month: 12, day: 2)!
        let first = ApplicationNumber(date: day, kiosk: KioskID("hall7-a"), sequence: 1)
        let second = ApplicationNumber(date: day, kiosk: KioskID("hall7-b"), sequence: 1)
        // Then the numbers differ and carry the kiosk, upper-cased
        #expect(first.value.hasPrefix("A261202-HALL7-A-00001-"))
        #expect(first != second)
        // And each typed back as printed, or in lowercase, parses to itself
        #expect(ApplicationNumber(parsing: first.value) == first)
        #expect(ApplicationNumber(parsing: first.value.lowercased()) == first)
        #expect(ApplicationNumber(parsing: " " + second.value + " ") == second)
        // And a number of the days before kiosk ids still parses
        let old = ApplicationNumber(date: day, sequence: 1)
        #expect(ApplicationNumber(parsing: old.value) == old)
        #expect(old.value.hasPrefix("A261202-00001-"))
    }

    @Test func theCheckCharacterCoversTheKioskID() throws {
        // Given a number from kiosk HALL7
        let number = ApplicationNumber(date: CalendarDate(year: 2026, month: 12, day: 2)!, kiosk: KioskID("HALL7"), sequence: 42)
        // When it is typed without dashes / Then it parses to itself
        #expect(ApplicationNumber(parsing: number.value.replacingOccurrences(of: "-", with: "")) == number)
        // When a character of the kiosk id is mistyped or two are swapped / Then it is refused
        let text = Array(number.value)
        let kioskRange = 8..<13
        for position in kioskRange {
            for replacement in Array("0123456789ABCDEFGHJKLMNPQRTUWXY") where replacement != text[position] {
                var mutated = text
                mutated[position] = replacement
                #expect(ApplicationNumber(parsing: String(mutated)) == nil, "\(String(mutated))")
            }
            if position + 1 < kioskRange.upperBound, text[position] != text[position + 1] {
                var mutated = text
                mutated.swapAt(position, position + 1)
                #expect(ApplicationNumber(parsing: String(mutated)) == nil, "\(String(mutated))")
            }
        }
    }

    @Test func aKioskIDWithDashesParsesWithItsDashes() throws {
        // Given a kiosk id holding a dash
        let number = ApplicationNumber(date: CalendarDate(year: 2026, month: 12, day: 2)!, kiosk: KioskID("HZ-01"), sequence: 7)
        // When typed as printed / Then it parses to itself
        #expect(number.value.hasPrefix("A261202-HZ-01-00007-"))
        #expect(ApplicationNumber(parsing: number.value) == number)
        // When typed without dashes / Then it still passes the check (dashes do not count);
        // the database compares numbers without dashes to find it
        let compact = try #require(ApplicationNumber(parsing: number.value.replacingOccurrences(of: "-", with: "")))
        #expect(compact.value.filter { $0 != "-" } == number.value.filter { $0 != "-" })
    }

    @Test func kioskIDsAreShortAndPlain() {
        #expect(KioskID("hall-1") != nil)
        #expect(KioskID("A") != nil)
        #expect(KioskID("0123456789ABCDEF") != nil)
        #expect(KioskID("0123456789ABCDEFG") == nil)
        #expect(KioskID("") == nil)
        #expect(KioskID("hall 1") == nil)
        #expect(KioskID("-hall") == nil)
        #expect(KioskID("hall-") == nil)
        #expect(KioskID("hall--1") == nil)
        #expect(KioskID("大厅1") == nil)
        #expect(KioskID("hall_1") == nil)
    }
}

@Suite struct MaskingTests {
    @Test func showsOnlyEnoughToRecogniseOnesOwnData() {
        #expect(Masking.idNumber("11010519491231002X") == "1101**********002X")
        #expect(Masking.phone("13812345678") == "138****5678")
        #expect(Masking.name("张三") == "张*")
        #expect(Masking.name("欧阳娜娜") == "欧***")
        #expect(Masking.address("北京市朝阳区建国路88号") == "北京市朝阳区****")
    }
}
