import Foundation

/// Runs a program to its end for tests and benchmarks.
///
/// Spawned with posix_spawn and reaped with waitpid, not with Foundation's Process: a
/// daemon the program leaves running (cupsd) would inherit a pipe and keep it open, and
/// the child gets a clean signal mask and default handlers, so a daemon it starts obeys
/// the TERM that stops it. Output goes through a file.
public enum Subprocess {
    /// Runs `path` with `arguments`; returns its exit status (-1 when killed by a signal)
    /// and what it wrote to stdout and stderr.
    /// With `input`, the program reads those bytes on stdin (from a file: a pipe's end
    /// could be inherited by a process another test spawns at the same moment, and the
    /// program would then wait for an end of file that never comes).
    public static func run(
        _ path: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        input: [UInt8]? = nil
    ) throws -> (status: Int32, output: String) {
        let log = try TemporaryDirectory(prefix: "kioskd-subprocess")
        let outputPath = log.file("output")
        var inputPath = "/dev/null"
        if let input {
            inputPath = log.file("input")
            try Data(input).write(to: URL(fileURLWithPath: inputPath))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw CocoaError(.executableLoad, userInfo: ["path": path, "errno": spawned]) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED: the low 7 bits are 0; WEXITSTATUS: the next byte.
        return (status & 0x7F == 0 ? (status >> 8) & 0xFF : -1, output)
    }
}
