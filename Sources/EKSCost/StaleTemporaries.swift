import FileAccess
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Removes what killed runs of ekscost left in a report or snapshot folder, and nothing else.
/// The one place that recognises ekscost's temporaries: every command that writes into a folder
/// (report sets, snapshots, the catalog, `pricing fetch`'s download spool) calls it there.
///
/// An entry is removed only when all of these hold:
/// - its name is one ekscost gives its temporaries (`AtomicFiles.temporaryName`):
///   `.ekscost-tmp-<pid>-<file>`, `.ekscost-stage-<pid>-<folder>`, `.ekscost-old-<pid>-<folder>`,
///   `.ekscost-fetch-<pid>-<offer>-<region>.csv`, or `.<file>.<pid>.tmp` as versions before 0.2
///   named them;
/// - it is older than this run: the process number in its name is not a running process, or
///   the process that now has that number (this one, in a container where every run is pid 1)
///   started after the entry last changed; for a name without a number, it last changed before
///   this run started.
///
/// A `.ekscost-old-<pid>-<name>` folder whose `<name>` is missing is the old report set of a
/// run killed between its two renames (`ReportSet`): it is put back, not removed.
package enum StaleTemporaries {
    /// Whether ekscost names temporaries like this.
    package static func isTemporaryName(_ name: String) -> Bool {
        if name.hasPrefix(AtomicFiles.temporaryPrefix) { return true }
        return legacyPID(name) != nil
    }

    /// Cleans `folder`; never fails (what cannot be removed stays).
    package static func remove(in folder: String) { remove(in: folder, processStart: processStart) }

    /// `processStart`: when the process holding a number started (a parameter for tests).
    static func remove(in folder: String, processStart: (pid_t) -> Double?) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where isTemporaryName(name) {
            let path = "\(folder)/\(name)"
            guard let changed = Folders.lastChange(path) else { continue }
            if let pid = pid(in: name) {
                // Made by a process that has ended, or by an earlier process with the same number.
                if isRunning(pid), !(processStart(pid).map { changed < $0 - clockSlack } ?? false) { continue }
            } else if changed >= runStarted {
                continue
            }
            if let restored = restoredName(name), !FileManager.default.fileExists(atPath: "\(folder)/\(restored)") {
                try? Folders.rename(path, to: "\(folder)/\(restored)")
                continue
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// When this process started, in seconds since 1970 (from /proc; else now).
    static let runStarted: Double = processStart(getpid()) ?? Date().timeIntervalSince1970

    /// How far a start time from /proc may be off: the boot time there is in whole seconds.
    static let clockSlack = 1.0

    static func isRunning(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    /// When process `pid` started, in seconds since 1970, from /proc; nil where that cannot be read.
    static func processStart(_ pid: pid_t) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"),
            let boot = try? String(contentsOfFile: "/proc/stat", encoding: .utf8)
                .split(separator: "\n").first(where: { $0.hasPrefix("btime ") })?.split(separator: " ").last.flatMap({
                    Double($0)
                })
        else { return nil }
        // Fields after the command name; starttime is field 22 of the whole line, 20th after ')'.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return boot + ticks / (hertz > 0 ? hertz : 100)
    }

    /// The process number an ekscost temporary name carries: `.ekscost-<kind>-<pid>-…`, or the
    /// legacy `.<file>.<pid>.tmp`.
    static func pid(in name: String) -> pid_t? {
        if name.hasPrefix(AtomicFiles.temporaryPrefix) {
            let parts = name.dropFirst(AtomicFiles.temporaryPrefix.count).split(separator: "-", maxSplits: 2)
            return parts.count >= 2 ? pid_t(parts[1]) : nil
        }
        return legacyPID(name)
    }

    static func legacyPID(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let parts = name.dropFirst().dropLast(4).split(separator: ".")
        guard parts.count >= 2, let last = parts.last, last.allSatisfy(\.isNumber) else { return nil }
        return pid_t(last)
    }

    /// `.ekscost-old-<pid>-<name>` → `<name>`.
    static func restoredName(_ name: String) -> String? {
        let prefix = "\(AtomicFiles.temporaryPrefix)old-"
        guard name.hasPrefix(prefix) else { return nil }
        let parts = name.dropFirst(prefix.count).split(separator: "-", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : nil
    }
}
