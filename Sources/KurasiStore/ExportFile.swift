import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Export {
    /// Write an export to `output`, refusing any file that belongs to a store: the store, its
    /// journal, journal segments, backups, lock, temp files and what `recover` keeps, of the open
    /// store (compared by device and inode, so no other name or link reaches them) or of any store
    /// beside the output. A symlink is followed only to check where it leads, never into one.
    public static func write(_ data: Data, to output: String, store: Store, example: String) throws(StoreError) {
        let resolved = Store.resolveLinks(output)
        let via = resolved == output ? nil : resolved
        func refuse(_ role: (StoreFileRole, String)) -> StoreError {
            StoreError(.writeFailed, file: output, .exportIsStoreFile(role.0, store: role.1, via: via, example: example))
        }
        var st = stat()
        if stat(output, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR {
                throw StoreError(.writeFailed, file: output, .exportIsDirectory(suggestion: (output as NSString).appendingPathComponent(example)))
            }
            if let role = storeFileRole(dev: st.st_dev, ino: st.st_ino, store: store) {
                throw refuse(role)
            }
            if st.st_mode & S_IFMT == S_IFREG {
                let head = Store.prefix(of: output)
                if Store.headerVersion(head) != nil { throw StoreError(.writeFailed, file: output, .exportLooksLikeStore(via: via, example: example)) }
                if head.starts(with: Data("{\"checksum\":\"crc32:".utf8)) { throw StoreError(.writeFailed, file: output, .exportLooksLikeJournal(via: via, example: example)) }
            }
        }
        if let role = siblingStoreRole(resolved) { throw refuse(role) }

        let fd = open(output, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let e = errno
            if e == EISDIR { throw StoreError(.writeFailed, file: output, .exportIsDirectory(suggestion: (output as NSString).appendingPathComponent(example))) }
            throw StoreError(.writeFailed, file: output, .exportCannotOpen(reason: String(cString: strerror(e))))
        }
        defer { close(fd) }
        // Check the file actually opened too, before anything in it is cut.
        if fstat(fd, &st) == 0, let role = storeFileRole(dev: st.st_dev, ino: st.st_ino, store: store) {
            throw refuse(role)
        }
        let isRegular = st.st_mode & S_IFMT == S_IFREG
        guard !isRegular || ftruncate(fd, 0) == 0, writeAll(fd, data) else {
            throw StoreError(.writeFailed, file: output, .exportWriteFailed(reason: String(cString: strerror(errno))))
        }
    }

    /// What a file (by device and inode) is to the open store, or nil when it is none of its files.
    static func storeFileRole(dev: dev_t, ino: ino_t, store: Store) -> (StoreFileRole, String)? {
        let target = store.targetPath
        let dir = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        for name in names where name == base || name.hasPrefix(base + ".") || name.hasPrefix("." + base + ".") {
            var st = stat()
            guard lstat(dir.isEmpty ? name : dir + "/" + name, &st) == 0, st.st_dev == dev, st.st_ino == ino else { continue }
            if let r = role(name, base: base, storeShown: store.path) { return r }
        }
        return nil
    }

    /// What a path is when its name belongs to a store in the same directory (`X.journal` next
    /// to the store X, or `.X.tmp-123`), or nil.
    static func siblingStoreRole(_ path: String) -> (StoreFileRole, String)? {
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        for base in names where base != name && (name.hasPrefix(base + ".") || name.hasPrefix("." + base + ".")) {
            let storePath = dir.isEmpty ? base : dir + "/" + base
            guard Store(path: storePath).looksLikeStore else { continue }
            if let r = role(name, base: base, storeShown: storePath) { return r }
        }
        return nil
    }

    /// Nil for a name that only starts like the store's (`kurasi.json.csv`, an earlier export).
    static func role(_ name: String, base: String, storeShown: String) -> (StoreFileRole, String)? {
        if name == base { return (.store, storeShown) }
        if name.hasPrefix("."), name.contains(".tmp-") { return (.temporary, storeShown) }
        let rest = String(name.dropFirst(base.count))
        if rest == Journal.suffix { return (.journal, storeShown) }
        if rest.hasPrefix(Journal.suffix + ".r") { return (.journalSegment, storeShown) }
        if rest == ".v1.bak" || (rest.hasPrefix(".r") && rest.hasSuffix(".bak")) { return (.backup, storeShown) }
        if rest == StoreIndex.suffix { return (.index, storeShown) }
        if rest == ".lock" { return (.lock, storeShown) }
        if rest.hasPrefix(".damaged-") { return (.damagedCopy, storeShown) }
        if rest.hasPrefix(".skipped-") { return (.skippedLines, storeShown) }
        return nil
    }
}
