import Foundation
import KurasiCore
import KurasiTestSupport
@testable import KurasiStore
import Testing

/// A console's handle follows another terminal's compaction (`kurasi compact`, or a quit's fold)
/// without reading the new snapshot: it is the handle's own round at a revision it holds, as the
/// compaction's backup and journal segments show. Reading it again held a second whole round
/// beside the one the console shows (2.6× the file at 100,000 products in a long session).
/// Anything else that replaces the snapshot is read whole, as before.
@Suite struct RefreshAfterCompactionTests {
    func score(_ h: StoreHandle, _ criterion: CriterionID, _ value: Int) throws {
        try h.commit { try $0.perform(.score(product: "P-1", points: [criterion: value]), by: "K1", at: "t") }
    }

    /// `mine` (the console's, reading) and `theirs` (another terminal's) on a new store.
    func twoHandles(in dir: TempDir) throws -> (Store, mine: StoreHandle, theirs: StoreHandle) {
        let store = Store(path: dir.file("k.json"))
        try store.create(tinyRound())
        return (store, try StoreHandle(store: store), try StoreHandle(store: Store(path: store.path)))
    }

    @Test func aCompactionOfWhatTheHandleHoldsIsFollowedWithoutReadingItAgain() throws {
        let dir = TempDir()
        let (store, mine, theirs) = try twoHandles(in: dir)
        try score(theirs, "kemasan", 3)
        #expect(try mine.refresh())
        #expect(try theirs.compact() == 1)
        #expect(!(try mine.refresh()), "the compaction changed nothing")
        #expect(mine.round == (try store.load()))
        #expect(mine.snapshotReads == 1)
        // Edits after it, theirs and mine, and mine's own compaction: as before.
        try score(theirs, "pasar", 5)
        #expect(try mine.refresh())
        try score(mine, "harga", 2)
        #expect(mine.round == (try store.load()))
        #expect(try mine.compact() == 2)
        #expect(try store.load().sheet(product: "P-1", curator: "K1") == ["kualitas": 4, "kemasan": 3, "pasar": 5, "harga": 2])
        #expect(try Store.decode(Data(contentsOf: URL(fileURLWithPath: store.path)), file: store.path) == mine.round)
        #expect(mine.snapshotReads == 1)
    }

    /// Behind by edits the compaction folded in, and two compactions since the last look: the
    /// segments bring the handle up to the new snapshot, the journal beyond it.
    @Test func editsFoldedInBeforeTheHandleSawThemAreTakenFromTheSegments() throws {
        let dir = TempDir()
        let (store, mine, theirs) = try twoHandles(in: dir)
        try score(theirs, "kemasan", 3)
        try score(theirs, "keunikan", 2)
        #expect(try theirs.compact() == 2)
        try score(theirs, "pasar", 4)
        #expect(try theirs.compact() == 1)
        try score(theirs, "harga", 1)
        #expect(try mine.refresh())
        let loaded = try store.load()
        #expect(mine.round == loaded && loaded.revision == 5)
        #expect(mine.snapshotReads == 1)
        try score(mine, "kapasitas", 5)
        #expect(try store.load() == mine.round)
    }

    /// A snapshot that is not a compaction of the one the handle read (put back by hand, at the
    /// same revision, with other content), and a compaction whose segment is gone: read whole.
    @Test func anythingElseIsReadWhole() throws {
        let dir = TempDir()
        let (store, mine, theirs) = try twoHandles(in: dir)
        var other = tinyRound()
        try other.perform(.score(product: "P-1", points: ["harga": 5]), by: "K1", at: "t")
        let elsewhere = Store(path: dir.file("other.json"))
        try elsewhere.create(other)
        try FileManager.default.removeItem(atPath: store.path)
        try FileManager.default.copyItem(atPath: elsewhere.path, toPath: store.path)
        #expect(try mine.refresh())
        #expect(mine.round.sheet(product: "P-1", curator: "K1")["harga"] == 5)
        #expect(mine.round == (try store.load()))
        #expect(mine.snapshotReads == 2)

        try theirs.refresh()
        try score(theirs, "kemasan", 3)
        #expect(try mine.refresh())
        #expect(try theirs.compact() == 1)
        try FileManager.default.removeItem(atPath: store.path + ".journal.r2")
        #expect(!(try mine.refresh()))
        #expect(mine.snapshotReads == 3)
        #expect(mine.round == (try store.load()))

        // A compaction, then another file at its very revision put in its place before the
        // handle looked: the compaction's backup and segment are there, but its index names the
        // file it wrote, not this one.
        try score(theirs, "pasar", 1)
        #expect(try mine.refresh())
        #expect(try theirs.compact() == 1)
        var changed = try store.load()
        try changed.perform(.score(product: "P-1", points: ["harga": 1]), by: "K1", at: "t")
        let put = Store(path: dir.file("put.json"))
        try put.create(changed.handEdited { $0.revision -= 1; $0.events.removeLast() })
        try FileManager.default.removeItem(atPath: store.path)
        try FileManager.default.copyItem(atPath: put.path, toPath: store.path)
        #expect(!(try mine.refresh()))
        #expect(mine.snapshotReads == 4)
        #expect(mine.round.sheet(product: "P-1", curator: "K1")["harga"] == 1)
        #expect(mine.round == (try store.load()))
    }

    /// A compaction whose index could not be written (a full disk): read whole.
    @Test func aCompactionWithoutItsIndexIsReadWhole() throws {
        let dir = TempDir()
        let (store, mine, theirs) = try twoHandles(in: dir)
        try score(theirs, "kemasan", 3)
        #expect(try mine.refresh())
        #expect(try theirs.compact() == 1)
        try FileManager.default.removeItem(atPath: store.path + ".index")
        #expect(!(try mine.refresh()))
        #expect(mine.snapshotReads == 2)
        #expect(mine.round == (try store.load()))
    }
}
