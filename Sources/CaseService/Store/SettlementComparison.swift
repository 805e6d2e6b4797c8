import Foundation

/// How the centre compares a kiosk's settlement with its own paid orders. Pure, so the
/// rule is tested apart from the store.
///
/// The centre's side of a day is every paid order of the kiosk the settlement names, and
/// every other paid order of the kiosk paid in the period that no settlement of the kiosk
/// names (an order the kiosk recorded in the next period is named by that period's
/// settlement). Orders are compared one by one and summed per item: the kiosk's item is
/// "bill-" and the order's kind. Reversals are the kiosk's corrections, reported with the
/// settlement; they do not undo a paid order, so payments are compared before reversals.
enum SettlementComparison {
    /// A payment as the kiosk settled it.
    struct KioskPayment: Sendable, Hashable {
        var orderID: String
        var itemID: String
        var amountFen: Int64
    }

    /// A paid order as the centre has it.
    struct CentreOrder: Sendable, Hashable {
        var orderID: String
        var orderNumber: String
        var itemID: String
        var amountFen: Int64
    }

    struct ItemDifference: Sendable, Hashable {
        var itemID: String
        var kioskCount: Int
        var kioskFen: Int64
        var centreCount: Int
        var centreFen: Int64
    }

    enum Side: String, Sendable, Hashable {
        case centreOnly = "centre-only"
        case kioskOnly = "kiosk-only"
        case amountDiffers = "amount-differs"
    }

    struct OrderDifference: Sendable, Hashable {
        var orderID: String
        var orderNumber: String?
        var itemID: String
        var amountFen: Int64
        var side: Side
    }

    struct Outcome: Sendable, Hashable {
        var differences: [ItemDifference]
        var orders: [OrderDifference]
        var matched: Bool { differences.isEmpty && orders.isEmpty }
    }

    /// The most order differences an answer lists.
    static let orderLimit = 200

    /// Compares `kiosk`'s payments with `centre`'s paid orders of the same kiosk and day
    /// (as chosen by the rule above). Afterwards `differences` holds each item whose count
    /// or sum differ, by item id; `orders` each order found on one side only or with
    /// another amount, centre-only first, at most `orderLimit`.
    static func compare(kiosk: [KioskPayment], centre: [CentreOrder]) -> Outcome {
        // Wrapping sums: exact whenever the true sum fits (the settlement's own totals were
        // checked with `exactSum`), and a kiosk's odd amounts can never trap the service.
        struct Sum { var count = 0, fen: Int64 = 0 }
        var kioskSums: [String: Sum] = [:]
        var centreSums: [String: Sum] = [:]
        for payment in kiosk {
            kioskSums[payment.itemID, default: Sum()].count += 1
            kioskSums[payment.itemID, default: Sum()].fen &+= payment.amountFen
        }
        for order in centre {
            centreSums[order.itemID, default: Sum()].count += 1
            centreSums[order.itemID, default: Sum()].fen &+= order.amountFen
        }
        let differences = Set(kioskSums.keys).union(centreSums.keys).sorted().compactMap { item -> ItemDifference? in
            let ours = kioskSums[item] ?? Sum(), theirs = centreSums[item] ?? Sum()
            guard ours.count != theirs.count || ours.fen != theirs.fen else { return nil }
            return ItemDifference(itemID: item, kioskCount: ours.count, kioskFen: ours.fen, centreCount: theirs.count, centreFen: theirs.fen)
        }

        let kioskByID = Dictionary(kiosk.map { ($0.orderID, $0) }, uniquingKeysWith: { first, _ in first })
        let centreByID = Dictionary(centre.map { ($0.orderID, $0) }, uniquingKeysWith: { first, _ in first })
        var orders: [OrderDifference] = []
        for order in centre.sorted(by: { $0.orderID < $1.orderID }) where kioskByID[order.orderID] == nil {
            orders.append(OrderDifference(
                orderID: order.orderID, orderNumber: order.orderNumber, itemID: order.itemID, amountFen: order.amountFen, side: .centreOnly
            ))
        }
        for payment in kiosk.sorted(by: { $0.orderID < $1.orderID }) {
            guard let order = centreByID[payment.orderID] else {
                orders.append(OrderDifference(
                    orderID: payment.orderID, orderNumber: nil, itemID: payment.itemID, amountFen: payment.amountFen, side: .kioskOnly
                ))
                continue
            }
            if order.amountFen != payment.amountFen || order.itemID != payment.itemID {
                orders.append(OrderDifference(
                    orderID: payment.orderID, orderNumber: order.orderNumber, itemID: payment.itemID,
                    amountFen: payment.amountFen, side: .amountDiffers
                ))
            }
        }
        return Outcome(differences: differences, orders: Array(orders.prefix(orderLimit)))
    }
}
