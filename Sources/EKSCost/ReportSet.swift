import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
public enum ReportSet {
    /// Writes `files` (name, bytes) into `folder`, replacing the files of those names.
    public static func replace(in folder: String, files: [(name: String, bytes: [UInt8])]) throws {
        var destination = folder
        while destination.count > 1 && destination.hasSuffix("/") { destination.removeLast() }
        // A report folder that is a symbolic link to a folder: the set is swapped where it points.
        var link = stat(), target = stat()
        if lstat(destination, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK, stat(destination, &target) == 0,
           (target.st_mode & S_IFMT) == S_IFDIR, let resolved = realpath(destination, nil) {
            destination = String(cString: resolved)
            free(resolved)
        }
        let parent = (destination as NSString).deletingLastPathComponent
        let base = (destination as NSString).lastPathComponent
        try AtomicFiles.createFolder(parent)
        let parentPath = parent.isEmpty ? "." : parent
        StaleTemporaries.remove(in: parentPath)
        let staging = "\(parentPath)/" + AtomicFiles.temporaryName("stage", for: base)
        try? FileManager.default.removeItem(atPath: staging)

        var existing = stat()
        let exists = lstat(destination, &existing) == 0
        if exists && (existing.st_mode & S_IFMT) != S_IFDIR {
            throw AtomicFiles.WriteError(path: destination, reason: "it is not a folder")
        }
        do {
            guard mkdir(staging, exists ? existing.st_mode & 0o7777 : 0o755) == 0 else {
                throw AtomicFiles.WriteError(path: staging, reason: String(cString: strerror(errno)))
            }
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
            if rename(staging, destination) == 0 { return }
            guard errno == ENOTEMPTY || errno == EEXIST else {
                throw AtomicFiles.WriteError(path: destination, reason: String(cString: strerror(errno)))
            }
        }
        if let exchange = renameExchange, exchange(AT_FDCWD, staging, AT_FDCWD, destination, renameExchangeFlag) == 0 { return }
        guard renameExchange == nil || errno == EINVAL || errno == ENOSYS || errno == ENOTSUP else {
            throw AtomicFiles.WriteError(path: destination, reason: String(cString: strerror(errno)))
        }
        let aside = "\(parent)/" + AtomicFiles.temporaryName("old", for: base)
        guard rename(destination, aside) == 0 else {
            throw AtomicFiles.WriteError(path: destination, reason: String(cString: strerror(errno)))
        }
        guard rename(staging, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(aside, destination)
            throw AtomicFiles.WriteError(path: destination, reason: reason)
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    /// Hard links (or, for symbolic links, copies of the link) of every entry of `source` but
    /// `excluded` and ekscost's own temporaries, recreated under `target`; folders recursively.
    static func carryOver(from source: String, to target: String, except excluded: Set<String>) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: source) else {
            throw AtomicFiles.WriteError(path: source, reason: "cannot list the folder to keep its other files")
        }
        for name in names where !excluded.contains(name) && !StaleTemporaries.isTemporaryName(name) {
            let from = "\(source)/\(name)", to = "\(target)/\(name)"
            var info = stat()
            guard lstat(from, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                guard link(from, to) == 0 else {
                    throw AtomicFiles.WriteError(path: from, reason: "cannot keep it in the new report folder: \(String(cString: strerror(errno)))")
                }
            case S_IFLNK:
                guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: from), symlink(destination, to) == 0 else {
                    throw AtomicFiles.WriteError(path: from, reason: "cannot keep the symbolic link in the new report folder")
                }
            case S_IFDIR:
                guard mkdir(to, info.st_mode & 0o7777) == 0 else {
                    throw AtomicFiles.WriteError(path: to, reason: String(cString: strerror(errno)))
                }
                try carryOver(from: from, to: to, except: [])
                try AtomicFiles.flushFolder(to)
            default:
                throw AtomicFiles.WriteError(path: from, reason: "it is neither a file nor a folder, so the report folder cannot be replaced as one")
            }
        }
    }

    /// `renameat2` from the C library, looked up at run time: Swift's Glibc module does not
    /// declare it. Nil where the C library has none.
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
    static let renameExchange: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
    /// RENAME_EXCHANGE from linux/fs.h.
    static let renameExchangeFlag: UInt32 = 1 << 1
}
