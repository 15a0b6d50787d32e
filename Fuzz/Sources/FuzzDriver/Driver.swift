package import EKSModel
import Foundation

// libFuzzer's entry point for programs that have their own `main`: SwiftPM names each
// executable's entry `<Module>_main` and aliases `main` to it, so every harness defines that
// symbol with @_cdecl and hands its test function to the driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the program's arguments (`-max_total_time=60 corpus/`…) on `test`.
package func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}

/// The input as bytes.
package func bytes(_ start: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
    guard let start, count > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: start, count: count))
}

/// The property every harness checks: a reader that gives no value explains why, and every
/// error it reports says where (file and line). A violation stops the run like a crash, so
/// libFuzzer keeps the input.
package func requireLocated(_ diagnostics: [Diagnostic], valueReturned: Bool, reader: String) {
    for diagnostic in diagnostics where diagnostic.severity == .error {
        if diagnostic.location == nil {
            fatalError("\(reader): an error without a location: \(diagnostic)")
        }
    }
    if !valueReturned && !diagnostics.hasErrors {
        fatalError("\(reader): no value and no error")
    }
}

/// A condition on what a reader returned; false stops the run like a crash.
package func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

/// The repository the harnesses were built from (for the bundled catalog and snapshots).
package let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }  // Fuzz/Sources/FuzzDriver/Driver.swift
    return url.path
}()
