import FileAccess
import Foundation

/// Replaces the files of one report set (a scenario's estimate.csv, estimate.md, … or its
/// compare.csv and compare.md) as one: a reader, or a kill at any moment, sees the whole old
/// set or the whole new set, never some files of each.
///
/// The new set is written into a staging folder beside the destination
/// (`.ekscost-stage-<pid>-<name>`), together with hard links to everything else the
/// destination already holds (other commands' reports, month sub-folders), so nothing but the
/// set changes. Files and folders are flushed to disk, then the staging folder and the
/// destination are swapped with one `renameat2(RENAME_EXCHANGE)`, atomic on Linux's local file
/// systems; the old folder, now under the staging name, is removed. A kill before the swap
/// leaves the destination untouched; after it, the new set is in place. Either way what is
/// left under the `.ekscost-` name is removed by a later run (`StaleTemporaries`).
///
/// Where the exchange is not supported (other kernels, some network file systems), the old
/// folder is renamed aside (`.ekscost-old-<pid>-<name>`) and the new one renamed in: between
/// the two renames the destination is absent for an instant, so a reader sees no report (never
/// a mixed one), and a kill there leaves the old set aside, which the next run puts back.
package enum ReportSet {
    /// Writes `files` (name, bytes) into `folder`, replacing the files of those names.
    package static func replace(in folder: String, files: [(name: String, bytes: [UInt8])]) throws {
        var destination = folder
        while destination.count > 1 && destination.hasSuffix("/") { destination.removeLast() }
        // A report folder that is a symbolic link to a folder: the set is swapped where it points.
        if Folders.entryKind(destination) == .symbolicLink, let resolved = Folders.resolvedFolder(destination) {
            destination = resolved
        }
        let parent = (destination as NSString).deletingLastPathComponent
        let base = (destination as NSString).lastPathComponent
        try AtomicFiles.createFolder(parent)
        let parentPath = parent.isEmpty ? "." : parent
        StaleTemporaries.remove(in: parentPath)
        let staging = "\(parentPath)/" + AtomicFiles.temporaryName("stage", for: base)
        try? FileManager.default.removeItem(atPath: staging)

        let existing = Folders.entryKind(destination)
        let exists = existing != nil
        var permissions: UInt32 = 0o755
        switch existing {
        case nil: break
        case .folder(let mode): permissions = mode
        default: throw AtomicFiles.WriteError(path: destination, reason: "it is not a folder")
        }
        do {
            try writing { () throws(FileProblem) in try Folders.makeFolder(staging, permissions: permissions) }
            if exists {
                StaleTemporaries.remove(in: destination)
                try carryOver(from: destination, to: staging, except: Set(files.map(\.name)))
            }
            for file in files {
                try AtomicFiles.writeFlushed(.bytes(file.bytes), to: "\(staging)/\(file.name)")
            }
            try AtomicFiles.flushFolder(staging)
            try swap(staging, into: destination, exists: exists, parent: parentPath, base: base)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        // The staging name now holds the old set (or nothing).
        try? FileManager.default.removeItem(atPath: staging)
        try AtomicFiles.flushFolder(parentPath)
    }

    /// Puts the staged folder in place of `destination` in one rename.
    static func swap(_ staging: String, into destination: String, exists: Bool, parent: String, base: String) throws {
        if !exists {
            // Nothing to replace: a plain rename is atomic, and fails if a folder with files
            // appeared in the meantime (then the exchange below takes over).
            do {
                try Folders.rename(staging, to: destination)
                return
            } catch  where Folders.isNonEmptyFolder(error) {
            } catch {
                throw AtomicFiles.WriteError(error)
            }
        }
        if try writing({ () throws(FileProblem) in try Folders.exchange(staging, destination) }) { return }
        let aside = "\(parent)/" + AtomicFiles.temporaryName("old", for: base)
        try writing { () throws(FileProblem) in try Folders.rename(destination, to: aside) }
        do {
            try Folders.rename(staging, to: destination)
        } catch {
            try? Folders.rename(aside, to: destination)
            throw AtomicFiles.WriteError(error)
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    /// A file system failure as a write error.
    static func writing<T>(_ body: () throws(FileProblem) -> T) throws(AtomicFiles.WriteError) -> T {
        do {
            return try body()
        } catch {
            throw AtomicFiles.WriteError(error)
        }
    }

    /// Hard links (or, for symbolic links, copies of the link) of every entry of `source` but
    /// `excluded` and ekscost's own temporaries, recreated under `target`; folders recursively.
    static func carryOver(from source: String, to target: String, except excluded: Set<String>) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: source) else {
            throw AtomicFiles.WriteError(path: source, reason: "cannot list the folder to keep its other files")
        }
        for name in names where !excluded.contains(name) && !StaleTemporaries.isTemporaryName(name) {
            let from = "\(source)/\(name)"
            let to = "\(target)/\(name)"
            switch Folders.entryKind(from) {
            case nil: continue
            case .file:
                do {
                    try Folders.hardLink(from, to: to)
                } catch {
                    throw AtomicFiles.WriteError(
                        path: from, reason: "cannot keep it in the new report folder: \(error.reason)")
                }
            case .symbolicLink:
                guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: from),
                    (try? Folders.symbolicLink(destination, at: to)) != nil
                else {
                    throw AtomicFiles.WriteError(
                        path: from, reason: "cannot keep the symbolic link in the new report folder")
                }
            case .folder(let permissions):
                try writing { () throws(FileProblem) in try Folders.makeFolder(to, permissions: permissions) }
                try carryOver(from: from, to: to, except: [])
                try AtomicFiles.flushFolder(to)
            case .other:
                throw AtomicFiles.WriteError(
                    path: from,
                    reason: "it is neither a file nor a folder, so the report folder cannot be replaced as one")
            }
        }
    }
}
