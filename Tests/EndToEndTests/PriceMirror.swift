import Foundation

/// `scripts/price-mirror` started as a subprocess on a free loopback port: AWS's Price List
/// layout with generated (synthetic) offer files. Stopped when the value is released.
final class PriceMirror {
    let process = Process()
    let endpoint: String

    /// `arguments`: regions and options of the script (`--types`, `--fault`, `--version`).
    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", Binary.packageRoot.path + "/scripts/price-mirror"] + arguments + ["--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says where it serves.
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("serving ") else {
            kill(process.processIdentifier, SIGKILL)
            throw MirrorError(message: "price-mirror did not start: '\(text)'")
        }
        endpoint = String(text.dropFirst("serving ".count))
    }

    deinit {
        // SIGKILL: a test runner may hand its children a blocked SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    struct MirrorError: Error { let message: String }
}
