import Foundation
import KurasiConsole
import KurasiCore
import KurasiStore

#if canImport(Glibc)
import Glibc
#endif

/// Where the generated rounds live: `$KURASI_BENCH_DIR`, else a folder under the temp dir.
/// Each size is `<dir>/<scale>/kurasi.json` with `<dir>/<scale>/products.csv` beside it.
public enum BenchData {
    public static var directory: String {
        if let d = ProcessInfo.processInfo.environment["KURASI_BENCH_DIR"], !d.isEmpty { return d }
        return NSTemporaryDirectory() + "kurasi-bench-data"
    }

    /// The sizes to run: `$KURASI_BENCH_SCALES` (e.g. "madiun,1x,10x"), else the fixture and all four.
    public static var scales: [Scale] {
        guard let list = ProcessInfo.processInfo.environment["KURASI_BENCH_SCALES"], !list.isEmpty else { return Scale.standard }
        return list.split(separator: ",").compactMap { Scale.named(String($0)) }
    }

    /// The bundled Madiun round: `$KURASI_MADIUN_FIXTURE`, else fixtures/madiun-2020/kurasi.json of
    /// the repository this package sits in.
    public static var madiunFixture: String {
        if let p = ProcessInfo.processInfo.environment["KURASI_MADIUN_FIXTURE"], !p.isEmpty { return p }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Workloads.swift, KurasiSynth, Sources, Benchmarks
        return url.appendingPathComponent("fixtures/madiun-2020/kurasi.json").path
    }

    public static func storePath(_ scale: Scale, in dir: String = directory) -> String { "\(dir)/\(scale.name)/kurasi.json" }
    public static func csvPath(_ scale: Scale, in dir: String = directory) -> String { "\(dir)/\(scale.name)/products.csv" }

    /// Write the round and its CSV for a size unless they are there already. Returns the store path.
    @discardableResult
    public static func ensure(_ scale: Scale, in dir: String = directory) throws -> String {
        let path = storePath(scale, in: dir)
        if FileManager.default.fileExists(atPath: path), FileManager.default.fileExists(atPath: csvPath(scale, in: dir)) {
            return path
        }
        try FileManager.default.createDirectory(atPath: "\(dir)/\(scale.name)", withIntermediateDirectories: true)
        for leftover in [path, path + ".journal", path + ".lock", csvPath(scale, in: dir)] { unlink(leftover) }
        let round: Round
        if scale == .madiun {
            try FileManager.default.copyItem(atPath: madiunFixture, toPath: path)
            round = try Store(path: path).load()
        } else {
            round = Synth.round(scale)
            try Store(path: path).create(round)
        }
        try Data(Synth.productsCSV(round).utf8).write(to: URL(fileURLWithPath: csvPath(scale, in: dir)))
        return path
    }

    /// A private copy of a size's store to edit (edits and compactions must not change the
    /// generated file that the other measurements read).
    public static func scratchCopy(of path: String, tag: String) throws -> String {
        let dir = NSTemporaryDirectory() + "kurasi-bench-scratch-\(getpid())-\(tag)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let copy = dir + "/kurasi.json"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        return copy
    }

    public static func removeScratch(_ copy: String) {
        try? FileManager.default.removeItem(atPath: (copy as NSString).deletingLastPathComponent)
    }

    public static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}

/// Monotonic time in nanoseconds.
public func nowNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// The operations measured, each split into an untimed `prepare` and a timed `run`, shared by
/// the ordo-one benchmarks and `kurasi-bench run` (for profilers).
public enum Workload {
    public typealias Target = (product: ProductID, curator: CuratorID, criterion: CriterionID)

    /// The product, curator and criterion a score edit changes: a product in the middle of the
    /// mamin products, edited by a curator who may score it. It walks the products: find it once,
    /// outside the iterations.
    public static func editTarget(_ round: Round) -> Target {
        let mamin = round.products.filter { $0.cluster == .mamin }
        let product = mamin[mamin.count / 2]
        let curator = round.curators.last { !$0.isRecused(from: product.producer) }!
        return (product.id, curator.id, "kualitas")
    }

    /// The next value for the edited criterion: alternates so that every edit changes something.
    public static func nextPoint(_ round: Round, _ t: Target) -> Int {
        let v = round.sheet(product: t.product, curator: t.curator)[t.criterion] ?? 3
        return v == 5 ? 1 : v + 1
    }

    /// A console on the round at 200×60 with the first curator active, one frame drawn.
    /// With `deferringRankings`, as the runtime opens a store: only the list's cluster ranked before
    /// the first frame (the other is made behind it).
    public static func console(_ round: Round, width: Int = 200, height: Int = 60, deferringRankings: Bool = false) -> BenchConsole {
        let app = BenchConsole(round, width: width, height: height, deferringRankings: deferringRankings)
        _ = app.render()
        return app
    }

    /// One score edit as the console's runtime makes it: under the store's lock against the latest
    /// round, one journal line appended and fsynced. Returns the answer the console is given.
    public static func commitScore(_ handle: StoreHandle, _ t: Target, _ value: Int) throws -> Msg {
        let event = try handle.commit { r in
            try r.perform(.score(product: t.product, points: [t.criterion: value]), by: t.curator, at: "2020-10-15T16:00:00Z")
        }
        return .committed(.saved(handle.round, event))
    }

    /// The filter text typed key by key in the filter benchmark.
    public static let filterText: [Character] = Array("pecel")
}

/// The console driven as its runtime drives it, without a store or a terminal: keys and answers
/// through `update`, frames from `View.render`.
public final class BenchConsole {
    public var state: State
    public init(_ round: Round, width: Int, height: Int, deferringRankings: Bool = false) {
        state = State(round: round, lang: .id, curator: round.curators.first?.id, deferringRankings: deferringRankings)
        _ = update(&state, .resize(width: width, height: height))
    }
    public func handle(_ key: Key) { _ = update(&state, .key(key)) }
    public func send(_ msg: Msg) { _ = update(&state, msg) }
    public func render() -> Canvas { View.render(state) }
}

/// Resident memory of this process from /proc/self/status, in bytes: (VmRSS, VmHWM).
public func residentMemory() -> (rss: Int, peak: Int) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    var rss = 0, peak = 0
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2, let kb = Int(parts[1]) else { continue }
        if line.hasPrefix("VmRSS:") { rss = kb * 1024 }
        if line.hasPrefix("VmHWM:") { peak = kb * 1024 }
    }
    return (rss, peak)
}
