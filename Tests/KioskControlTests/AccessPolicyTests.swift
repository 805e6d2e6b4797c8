import Foundation
import KioskControl
import KioskTesting
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    @Test("A caller's level is looked up once and kept until the user or group database changes")
    func cachedUntilDatabasesChange() throws {
        // Given a policy watching two stand-in database files, and a caller in no group
        let directory = try TemporaryDirectory()
        let passwd = directory.file("passwd"), group = directory.file("group")
        try "root:x:0:0::/root:/bin/sh\n".write(toFile: passwd, atomically: true, encoding: .utf8)
        try "root:x:0:\n".write(toFile: group, atomically: true, encoding: .utf8)
        let policy = AccessPolicy(readGroup: "kioskd-tech-test", adminGroup: "kioskd-admin-test", databases: [passwd, group])
        let stranger = PeerCredentials(pid: 1, uid: 54_321, gid: 54_321)
        #expect(policy.knownLevel(for: stranger) == nil)
        // When it calls a thousand times
        for _ in 0..<1000 { #expect(policy.level(for: stranger) == .none) }
        // Then the databases were asked once, and the event loop now knows it without asking
        #expect(policy.lookups == 1)
        #expect(policy.knownLevel(for: stranger) == AccessLevel.none)
        // When the group file is replaced (as groupadd or usermod do)
        try "root:x:0:\nkioskd-tech-test:x:999:\n".write(toFile: group, atomically: true, encoding: .utf8)
        // Then the level is not known any more and is looked up again
        #expect(policy.knownLevel(for: stranger) == nil)
        _ = policy.level(for: stranger)
        #expect(policy.lookups == 2)
    }

    @Test("Root and the daemon's own user need no lookup")
    func rootAndSelf() {
        let policy = AccessPolicy(readGroup: "", adminGroup: "")
        #expect(policy.knownLevel(for: PeerCredentials(pid: 1, uid: 0, gid: 0)) == .change)
        #expect(policy.knownLevel(for: PeerCredentials(pid: 1, uid: getuid(), gid: getgid())) == .change)
        #expect(policy.lookups == 0)
    }
}
