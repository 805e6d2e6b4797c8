import KioskCore

/// The form validators' harness (`scripts/fuzz validators`): the input, as text, is typed
/// into a field of every type. Properties: nothing crashes; an accepted value is already
/// normal, so checking it again accepts it unchanged (for amounts, the fen printed as
/// yuan parse back to the same fen; for choices, only declared keys come out); an ID
/// accepted has a check character that recomputes; and an ID built from the input's
/// bytes with its computed check character is accepted, while any other check character
/// is refused.
@Sendable func validatorsFuzz(_ bytes: [UInt8]) {
    let today = CalendarDate(year: 2025, month: 6, day: 15)!
    let text = String(decoding: bytes, as: UTF8.self)

    if case .success(let id) = ResidentID.validate(text, today: today) {
        let digits = id.value.unicodeScalars.prefix(17).map { Int($0.value) - 0x30 }
        require(ResidentID.checkCharacter(for: digits) == id.value.last, "an accepted ID's check character differs")
        require(ResidentID.validate(id.value, today: today) == .success(id), "an accepted ID is refused when checked again")
        require(id.birthDate <= today, "an accepted ID was born after today")
    }
    if case .success(let code) = CreditCode.validate(text) {
        let values = code.value.prefix(17).map { CreditCode.alphabet.firstIndex(of: $0)! }
        require(code.passesCheck == (CreditCode.checkCharacter(for: values) == code.value.last), "passesCheck is wrong")
        require(CreditCode.validate(code.value) == .success(code), "an accepted credit code is refused when checked again")
    }

    let choices = [LocalizedText(chinese: "营业执照", english: "Business licence"), LocalizedText(chinese: "公章", english: "Company seal (official)")]
    for type in FormField.FieldType.allCases {
        for required in [true, false] {
            let field = FormField(
                id: "fuzz-field", type: type, label: LocalizedText(chinese: "字段", english: "Field"), required: required,
                maxLength: 20, maxFen: 10_000_000, choices: choices, multiple: bytes.first.map { $0 & 1 == 1 } ?? false
            )
            let check = field.check(text, today: today)
            guard case .valid(let value, _) = check else {
                if case .empty = check { require(!required, "a required field accepted nothing") }
                continue
            }
            switch type {
            case .amount:
                let fen = Int64(value)
                require(fen.map { $0 > 0 && $0 <= 10_000_000 } == true, "amount \(value) fen is outside the field's range")
                require(Money.fen(parsingYuan: Money.yuan(fen!)) == fen, "amount \(value) fen does not survive printing as yuan")
            case .choice:
                let keys = Set((0..<choices.count).map(field.choiceKey))
                require(value.split(separator: ",").allSatisfy { keys.contains(String($0)) }, "choice \(value) is not a declared key")
            default:
                require(field.check(value, today: today) == check, "\(type) value \(value) is not accepted again unchanged")
            }
        }
    }

    // An ID made from the input: a real province, a birth date that exists, 3 digits of
    // sequence, and the check character computed here.
    guard bytes.count >= 6 else { return }
    let provinces = [11, 31, 44, 50, 65, 71, 81, 83]
    let province = provinces[Int(bytes[0]) % provinces.count]
    let year = 1900 + Int(bytes[1]) % 125
    let month = 1 + Int(bytes[2]) % 12
    let day = 1 + Int(bytes[3]) % CalendarDate.days(inMonth: month, year: year)
    let sequence = (Int(bytes[4]) << 8 | Int(bytes[5])) % 1000
    let body = format2(province) + "0101" + String(year) + format2(month) + format2(day)
        + String(String(sequence + 1000).dropFirst())
    let digits = body.unicodeScalars.map { Int($0.value) - 0x30 }
    let check = ResidentID.checkCharacter(for: digits)
    let born = CalendarDate(year: year, month: month, day: day)!
    let outcome = ResidentID.validate(body + String(check), today: today)
    if born <= today {
        require((try? outcome.get().value) == body + String(check), "the valid ID \(body)\(check) was refused")
    } else {
        require(outcome == .failure(.birthDate), "an ID born after today was not refused for it")
    }
    for wrong in "0123456789X" where wrong != check && born <= today {
        require(ResidentID.validate(body + String(wrong), today: today) == .failure(.checkDigit), "a wrong check character was accepted")
    }
}

private func format2(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
