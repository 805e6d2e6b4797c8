import Glibc

/// The one libFuzzer entry point of `scripts/fuzz`: every harness is linked into one
/// binary (one build instead of one per target), and `FUZZ_TARGET` names the harness a
/// run exercises. Each harness takes the input's bytes and stops the process with a
/// precondition failure when a property does not hold; libFuzzer saves that input.
let harnesses: [String: @Sendable ([UInt8]) -> Void] = [
    "key-decoder": keyDecoderFuzz,
    "retry-after": retryAfterFuzz,
    "validators": validatorsFuzz,
    "id-card": idCardFuzz,
    "varlink": varlinkFuzz,
    "escpos": escposFuzz,
]

/// The harness `FUZZ_TARGET` names; an unknown or missing name stops at the first input.
let selectedHarness: @Sendable ([UInt8]) -> Void = {
    let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let harness = harnesses[name] else {
        fatalError("FUZZ_TARGET must be one of: \(harnesses.keys.sorted().joined(separator: ", ")) (got \"\(name)\")")
    }
    return harness
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    selectedHarness(bytes)
    return 0
}

/// Stops the run when a property does not hold, saying which: unlike `precondition`, whose
/// message an optimised build drops, the reason reaches the fuzzer's log.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { requireFailure(message()) }
}

func requireFailure(_ message: String) -> Never {
    fputs("fuzz property failed: \(message)\n", stderr)
    abort()
}
