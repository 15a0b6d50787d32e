import FileAccess
import Foundation
import Testing

/// The file-descriptor wrapper on its own: what it refuses and what it guarantees.
@Suite struct FileAccessTests {
    let folder: String = {
        let path = NSTemporaryDirectory() + "fileaccess-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A FIFO named as an input is refused by its kind, before any `open` (which would block
    /// until a writer came: this test would hang, not fail, if it did).
    @Test func aFIFOIsRefusedWithoutOpeningIt() throws {
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FileProblem(path: fifo, reason: "is a FIFO (named pipe), not a regular file")) {
            try RegularFile.open(fifo)
        }
        #expect(RegularFile.problem(folder)?.reason == "is a folder, not a regular file")
        #expect(RegularFile.problem(folder + "/none")?.isMissing == true)
    }

    /// Reads at an offset stop at the end of the file: 10 bytes, 4 asked from offset 8 → 2.
    @Test func readsAtAnOffsetStopAtTheEnd() throws {
        let path = folder + "/ten"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("0123456789".utf8)))
        let file = try RegularFile.open(path)
        defer { file.close() }
        #expect(try file.size() == 10)
        #expect(try file.bytes(at: 8, count: 4) == Array("89".utf8))
        #expect(try RegularFile.prefix(path, count: 3) == Array("012".utf8))
        #expect(try RegularFile.contents(path).count == 10)
    }

    /// A symbolic link planted at a temporary name is refused, so the write cannot land where
    /// it points (O_NOFOLLOW).
    @Test func aLinkAtATemporaryNameIsRefused() throws {
        let target = folder + "/target"
        let link = folder + "/.ekscost-tmp-1-x"
        #expect(FileManager.default.createFile(atPath: target, contents: Data("keep".utf8)))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(throws: FileProblem.self) { try OutputFile.create(link) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
    }

    /// Written, flushed, renamed over the old file: the new bytes are there.
    @Test func writeSyncAndRename() throws {
        let temporary = folder + "/.new"
        let final = folder + "/file"
        #expect(FileManager.default.createFile(atPath: final, contents: Data("old".utf8)))
        let file = try OutputFile.create(temporary)
        try file.write(Array("new bytes".utf8))
        try file.sync()
        file.close()
        try Folders.rename(temporary, to: final)
        try Folders.flush(folder)
        #expect(try String(contentsOfFile: final, encoding: .utf8) == "new bytes")
        #expect(!FileManager.default.fileExists(atPath: temporary))
    }

    /// Two folders swapped in one step where the kernel can (renameat2), each with its files.
    @Test func exchangeSwapsTwoFolders() throws {
        let first = folder + "/a"
        let second = folder + "/b"
        try Folders.makeFolder(first, permissions: 0o755)
        try Folders.makeFolder(second, permissions: 0o700)
        #expect(FileManager.default.createFile(atPath: first + "/in-a", contents: nil))
        guard try Folders.exchange(first, second) else { return }  // no renameat2 here: the caller renames twice
        #expect(FileManager.default.fileExists(atPath: second + "/in-a"))
        #expect(!FileManager.default.fileExists(atPath: first + "/in-a"))
        #expect(Folders.entryKind(first) == .folder(permissions: 0o700))
    }

    /// A rename onto a folder with entries fails in a way the report writer recognises (it then
    /// exchanges the folders instead).
    @Test func renameOntoAFolderWithEntriesIsRecognised() throws {
        let source = folder + "/s"
        let target = folder + "/t"
        try Folders.makeFolder(source, permissions: 0o755)
        try Folders.makeFolder(target, permissions: 0o755)
        #expect(FileManager.default.createFile(atPath: target + "/x", contents: nil))
        do {
            try Folders.rename(source, to: target)
            Issue.record("renamed onto a folder with entries")
        } catch {
            #expect(Folders.isNonEmptyFolder(error))
        }
    }
}
