import Foundation

/// Turns half-block text (what a terminal shows of a QR code: " ", "▀", "▄", "█") back into a
/// greyscale image, so an independent decoder can read what the citizen's phone would see.
public enum HalfBlockImage {
    /// A binary PGM (P5): each character is `scale` pixels wide and two modules of `scale`
    /// pixels high; dark modules black, the rest white.
    public static func pgm(from lines: [String], scale: Int) -> Data {
        let columns = lines.map(\.count).max() ?? 0
        let width = columns * scale
        let height = lines.count * 2 * scale
        var pixels = [UInt8](repeating: 255, count: width * height)
        for (row, line) in lines.enumerated() {
            for (column, character) in line.enumerated() {
                let (top, bottom): (Bool, Bool) = switch character {
                case "█": (true, true)
                case "▀": (true, false)
                case "▄": (false, true)
                default: (false, false)
                }
                for (half, dark) in [(0, top), (1, bottom)] where dark {
                    for y in 0..<scale {
                        let pixelRow = (row * 2 + half) * scale + y
                        for x in 0..<scale { pixels[pixelRow * width + column * scale + x] = 0 }
                    }
                }
            }
        }
        return Data("P5\n\(width) \(height)\n255\n".utf8) + Data(pixels)
    }
}
