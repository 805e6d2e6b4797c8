import Foundation
import KioskCore

/// The print templates from `Resources/templates/`, embedded in the binary at build time
/// so a daemon can never start with a slip's words missing.
public enum TemplateLoader {
    public static func embedded(timeZone: TimeZone, hall: HallInfo = HallInfo()) -> PrintTemplates {
        PrintTemplates(texts: [
            "acceptance-slip": String(decoding: PackageResources.acceptance_slip_txt, as: UTF8.self),
            "payment-receipt": String(decoding: PackageResources.payment_receipt_txt, as: UTF8.self),
            "service-guide": String(decoding: PackageResources.service_guide_txt, as: UTF8.self),
            "daily-settlement": String(decoding: PackageResources.daily_settlement_txt, as: UTF8.self),
            "insurance-certificate": String(decoding: PackageResources.insurance_certificate_txt, as: UTF8.self),
        ], timeZone: timeZone, hall: hall)
    }
}
