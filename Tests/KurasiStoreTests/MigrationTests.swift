import Foundation
import KurasiCore
@testable import KurasiStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Schema 1 → 2: the first snapshot written over a schema 1 store keeps the old file as
/// `<store>.v1.bak`, and the way back (that file put back, the journal replayed) gives the same round.
@Suite(.serialized) struct MigrationTests {
    static let madiun = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/madiun-2020/kurasi.json")

    /// A copy of the bundled (schema 1) Madiun round in a fresh directory.
    func copyOfMadiun() throws -> (TempDir, Store, Data) {
        let dir = TempDir()
        let store = Store(path: dir.file("kurasi.json"))
        let original = try Data(contentsOf: Self.madiun)
        try original.write(to: URL(fileURLWithPath: store.path))
        return (dir, store, original)
    }

    func scoreOne(_ store: Store, _ points: [CriterionID: Int?]) throws {
        try store.update { r in
            let p = r.products.first { $0.cluster == .mamin }!.id
            try r.perform(.score(product: p, points: points), by: "K2", at: "2020-10-15T11:00:00Z")
        }
    }

    @Test func theBundledRoundIsSchema1AndMigratesOnItsFirstCompaction() throws {
        let (dir, store, original) = try copyOfMadiun()
        defer { withExtendedLifetime(dir) {} }
        #expect(Store.headerVersion(original) == 1)
        let before = try store.load()
        let rankingBefore = before.ranking(.mamin).map { "\($0.product.id) \($0.rank.map(String.init) ?? "-")" }
        try scoreOne(store, ["kualitas": 2])
        let edited = try store.load()
        // The edit alone writes only the journal: the snapshot is still schema 1, no copy yet.
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == original)
        #expect(!FileManager.default.fileExists(atPath: store.v1BackupPath))

        #expect(try StoreHandle(store: store).compact() == 1)
        let migrated = try Data(contentsOf: URL(fileURLWithPath: store.path))
        #expect(Store.headerVersion(migrated) == 2)
        #expect(migrated.count < original.count, "schema 2 is \(migrated.count) bytes, schema 1 \(original.count)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.v1BackupPath)) == original)
        let after = try store.load()
        #expect(after == edited)
        #expect(after.ranking(.mamin).map(\.product.id) == edited.ranking(.mamin).map(\.product.id))
        #expect(before.ranking(.mamin).map { "\($0.product.id) \($0.rank.map(String.init) ?? "-")" } == rankingBefore)
        // Both readers read the schema 2 file to the same round.
        #expect(try Store.decode(migrated, file: "k.json", oneReader: false) == Store.decode(migrated, file: "k.json"))
        // Written again, the same bytes: the file diffs cleanly from one compaction to the next.
        #expect(try Store.encode(after) == migrated)
        try scoreOne(store, ["kemasan": 3])
        #expect(try StoreHandle(store: store).compact() == 1)
        let second = try store.load()
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == Store.encode(second))
        // The copy is never overwritten once there.
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.v1BackupPath)) == original)
    }

    /// The way back: the schema 1 copy put back as the store, with the journal lines written
    /// since (kept in the journal segment), reads to the same round.
    @Test func puttingTheV1CopyBackReadsToTheSameRound() throws {
        let (dir, store, original) = try copyOfMadiun()
        defer { withExtendedLifetime(dir) {} }
        try scoreOne(store, ["kualitas": 2, "harga": 5])
        try scoreOne(store, ["pasar": 1])
        let edited = try store.load()
        let journal = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        #expect(try StoreHandle(store: store).compact() == 2)
        // A Kurasi from before schema 2 (or anyone) goes back: the copy and the journal.
        let back = Store(path: dir.file("back.json"))
        try FileManager.default.copyItem(atPath: store.v1BackupPath, toPath: back.path)
        try journal.write(to: URL(fileURLWithPath: back.journalPath))
        #expect(try Data(contentsOf: URL(fileURLWithPath: back.path)) == original)
        #expect(try back.load() == edited)
        #expect(try back.load() == store.load())
    }

    /// A fault at each step of the migration leaves a store that reads to every acknowledged
    /// edit; the next compaction finishes the migration without touching a copy already there.
    @Test(arguments: [CrashPoint.v1BackupTempWritten, .snapshotTempWritten])
    func aFailedMigrationLosesNothing(_ point: CrashPoint) throws {
        let (dir, store, original) = try copyOfMadiun()
        defer { withExtendedLifetime(dir) {} }
        try scoreOne(store, ["kualitas": 2])
        let edited = try store.load()
        WriteFaults.fail(store.path, at: [point])
        #expect(throws: StoreError.self) { _ = try StoreHandle(store: store).compact() }
        WriteFaults.clear(store.path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == original)
        #expect(try store.load() == edited)
        let copy = FileManager.default.contents(atPath: store.v1BackupPath)
        #expect(point == .v1BackupTempWritten ? copy == nil : copy == original)
        if point == .snapshotTempWritten {
            // Whatever is there stays there.
            try Data("kept".utf8).write(to: URL(fileURLWithPath: store.v1BackupPath))
        }
        #expect(try StoreHandle(store: store).compact() == 1)
        #expect(Store.headerVersion(try Data(contentsOf: URL(fileURLWithPath: store.path))) == 2)
        #expect(try store.load() == edited)
        #expect(FileManager.default.contents(atPath: store.v1BackupPath) == (point == .v1BackupTempWritten ? original : Data("kept".utf8)))
    }

    /// A store written by this Kurasi is schema 2 from the start: no copy is made.
    @Test func aNewStoreIsSchema2WithoutACopy() throws {
        let dir = TempDir()
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        try store.update { r in try r.perform(.score(product: "P-1", points: ["kemasan": 3]), by: "K1", at: "2020-10-15T10:00:00Z") }
        #expect(try StoreHandle(store: store).compact() == 1)
        #expect(!FileManager.default.fileExists(atPath: store.v1BackupPath))
        #expect(try store.load().sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 3])
    }

    /// The migration's two names for the old snapshot, `<store>.v1.bak` and the compaction's
    /// `<store>.r<REV>.bak`, are one file on disk (a hard link): each reads as the schema 1
    /// original, and the room taken is one copy's. When the oldest backups are rotated away, the
    /// `.v1.bak` stays, whole.
    @Test func theMigrationKeepsOneCopyUnderBothNames() throws {
        let (dir, store, original) = try copyOfMadiun()
        defer { withExtendedLifetime(dir) {} }
        let revision = try store.load().revision
        try scoreOne(store, ["kualitas": 2])
        #expect(try StoreHandle(store: store).compact() == 1)
        let kept = store.targetPath + ".r\(revision).bak"
        #expect(FileManager.default.contents(atPath: kept) == original)
        #expect(FileManager.default.contents(atPath: store.v1BackupPath) == original)
        var a = stat(), b = stat()
        #expect(stat(kept, &a) == 0 && stat(store.v1BackupPath, &b) == 0)
        #expect(a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_nlink == 2, "one file under two names")
        #expect(a.st_mode & 0o777 == b.st_mode & 0o777)
        // Ten more compactions rotate the `.r<REV>.bak` away; the `.v1.bak` is untouched.
        for n in 0..<10 {
            try scoreOne(store, ["kemasan": 1 + n % 5])
            #expect(try StoreHandle(store: store).compact() == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: kept))
        #expect(FileManager.default.contents(atPath: store.v1BackupPath) == original)
        #expect(stat(store.v1BackupPath, &b) == 0 && b.st_nlink == 1)
    }

    /// Where the file system refuses a hard link (EPERM, EXDEV, …), the `.v1.bak` is a copy of
    /// its own, as before: both names read as the original.
    @Test func withoutHardLinksTheMigrationKeepsTwoCopies() throws {
        let (dir, store, original) = try copyOfMadiun()
        defer { withExtendedLifetime(dir) {} }
        let revision = try store.load().revision
        try scoreOne(store, ["kualitas": 2])
        let edited = try store.load()
        WriteFaults.refuseLinks(store.path)
        defer { WriteFaults.clear(store.path) }
        #expect(try StoreHandle(store: store).compact() == 1)
        let kept = store.targetPath + ".r\(revision).bak"
        #expect(FileManager.default.contents(atPath: kept) == original)
        #expect(FileManager.default.contents(atPath: store.v1BackupPath) == original)
        var a = stat(), b = stat()
        #expect(stat(kept, &a) == 0 && stat(store.v1BackupPath, &b) == 0)
        #expect(a.st_ino != b.st_ino && a.st_nlink == 1 && b.st_nlink == 1)
        #expect(try store.load() == edited)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains { $0.contains(".tmp-") })
    }

    /// The `.r<REV>.bak` a compaction makes is never taken for the `.v1.bak` when it is no longer
    /// the file just copied (replaced meanwhile by another writer): then the `.v1.bak` is copied
    /// from the old snapshot itself.
    @Test func theV1CopyIsLinkedOnlyToTheFileJustWritten() throws {
        let (dir, store, original) = try copyOfMadiun()
        defer { withExtendedLifetime(dir) {} }
        let revision = try store.load().revision
        try scoreOne(store, ["kualitas": 2])
        let kept = store.targetPath + ".r\(revision).bak"
        let h = try StoreHandle(store: store)
        h.afterBackup = {
            try? Data("another writer's backup".utf8).write(to: URL(fileURLWithPath: kept + ".other"))
            rename(kept + ".other", kept)
        }
        #expect(try h.compact() == 1)
        #expect(FileManager.default.contents(atPath: store.v1BackupPath) == original)
        var b = stat()
        #expect(stat(store.v1BackupPath, &b) == 0 && b.st_nlink == 1)
    }
}
