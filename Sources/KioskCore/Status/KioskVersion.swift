/// The version of kioskd, reported by `--version`, GetInfo and Status.
public enum KioskVersion {
    public static let current = "0.1.0"
}
