import KioskControl
import KioskCore

/// The word kioskctl's tables print for a value the daemon sent by its wire name
/// (`hall_staff`): KioskCore's own word (`hall-staff`), as technicians have always read
/// it; a name the type does not have is printed as it came. `--json` prints the wire.
func word<Value: ControlWireName>(_ wire: String, as type: Value.Type) -> String {
    Value(wireName: wire)?.rawValue ?? wire
}
