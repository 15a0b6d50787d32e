import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Folder entries: renames, the exchange of two folders in one step, links, and flushing a
/// folder's entries to disk. The calls swift-system does not wrap (rename, renameat2, fsync of
/// a folder, link, symlink) are made here and nowhere else.
package enum Folders {
    /// Renames `source` to `target` (replacing a file, or an empty folder, at `target`).
    package static func rename(_ source: String, to target: String) throws(FileProblem) {
        guard Glibc.rename(source, target) == 0 else { throw problem(target) }
    }

    /// Whether a rename failed because a folder with entries sits at the target.
    package static func isNonEmptyFolder(_ problem: FileProblem) -> Bool {
        problem.reason == reason(ENOTEMPTY) || problem.reason == reason(EEXIST)
    }

    /// Swaps two entries in one step (`renameat2` with RENAME_EXCHANGE): true when done, false
    /// where the C library or the file system cannot (then the caller renames twice).
    package static func exchange(_ first: String, _ second: String) throws(FileProblem) -> Bool {
        guard let call = renameAt2 else { return false }
        if call(AT_FDCWD, first, AT_FDCWD, second, renameExchangeFlag) == 0 { return true }
        if errno == EINVAL || errno == ENOSYS || errno == ENOTSUP { return false }
        throw problem(second)
    }

    /// Flushes a folder's entries (new names, renames) to disk.
    package static func flush(_ folder: String) throws(FileProblem) {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(folder), .readOnly, options: [.directory, .closeOnExec])
        } catch {
            throw FileProblem(path: folder, reason: FileProblem.reason(error as? Errno ?? .ioError))
        }
        defer { try? descriptor.close() }
        // Some file systems cannot flush a folder (EINVAL); the rename is done all the same.
        if fsync(descriptor.rawValue) != 0 && errno != EINVAL && errno != EROFS { throw problem(folder) }
    }

    /// What sits at `path` without following a symbolic link, or nil when nothing does.
    package static func entryKind(_ path: String) -> EntryKind? {
        guard let status = try? FilePath(path).stat(followTargetSymlink: false) else { return nil }
        switch status.type {
        case .regular: return .file
        case .directory: return .folder(permissions: status.permissions.rawValue)
        case .symbolicLink: return .symbolicLink
        default: return .other
        }
    }

    package enum EntryKind: Equatable, Sendable {
        case file, symbolicLink, other
        case folder(permissions: UInt32)
    }

    /// The folder a symbolic link leads to (every link resolved), or nil when it leads to no folder.
    package static func resolvedFolder(_ path: String) -> String? {
        guard let status = try? FilePath(path).stat(), status.type == .directory, let resolved = realpath(path, nil)
        else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A second name for the file at `source`.
    package static func hardLink(_ source: String, to target: String) throws(FileProblem) {
        guard link(source, target) == 0 else { throw problem(source) }
    }

    package static func symbolicLink(_ target: String, at path: String) throws(FileProblem) {
        guard symlink(target, path) == 0 else { throw problem(path) }
    }

    package static func makeFolder(_ path: String, permissions: UInt32) throws(FileProblem) {
        guard mkdir(path, mode_t(permissions)) == 0 else { throw problem(path) }
    }

    /// When the entry at `path` last changed (content or entry, the later), in seconds since
    /// 1970, without following a symbolic link.
    package static func lastChange(_ path: String) -> Double? {
        guard let status = try? FilePath(path).stat(followTargetSymlink: false) else { return nil }
        func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }
        return max(seconds(status.rawValue.st_mtim), seconds(status.rawValue.st_ctim))
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
    static func problem(_ path: String) -> FileProblem { FileProblem(path: path, reason: reason(errno)) }

    /// `renameat2` from the C library, looked up at run time: Swift's Glibc module does not
    /// declare it. Nil where the C library has none.
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
    static let renameAt2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
    /// RENAME_EXCHANGE from linux/fs.h.
    static let renameExchangeFlag: UInt32 = 1 << 1
}
