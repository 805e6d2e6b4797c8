import CQRencode
import KioskCore

/// QR codes from libqrencode: the smallest version that holds the text, error correction
/// level M (a screen is read at an angle, through glare), 8-bit mode as given.
public struct LibQREncoder: QRCodeEncoder {
    public init() {}

    public func encode(_ text: String) -> QRMatrix? {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { return nil }
        // Each byte describes one module; its lowest bit is 1 for dark.
        let modules = (0..<(width * width)).map { data[$0] & 1 == 1 }
        return QRMatrix(size: width, modules: modules)
    }
}
