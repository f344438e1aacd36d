import Foundation
import KurasiConsole
import KurasiCore
import KurasiStore
import KurasiSynth

#if canImport(Glibc)
import Glibc
#endif

// The plain part of Kurasi's benchmarks (see ../../README.md):
//   kurasi-bench generate [DIR] [--scales 1x,10x,100x,1000x]   write the synthetic rounds and CSVs
//   kurasi-bench rss STORE                                     load as the console does; print memory
//   kurasi-bench run OP STORE [N]                              repeat one operation N times (for perf/callgrind)
//       OP: load, decode, decode-foundation, encode, compact, edit, rank, rank-full, rank-rest, setup, setup-first,
//           frame, filter, producers,
//           proto-parse (a hand-written one-pass reader, Prototype.swift), jsonserialization,
//           calibration, stability, normalised, pairwise, readiness, feedback (the fairness reports,
//           on the round as loaded; stability with the default 1,000 resamples),
//           next-pair (the console's pairwise screen opened and drawn, on the rankings it holds),
//           feedback-write (only the writing of every producer's sheet, one file each)
// Output is one JSON object per line, for run.sh's report.


func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func ms(_ ns: UInt64) -> Double { Double(ns) / 1e6 }
func json(_ fields: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

var args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else { fail("usage: kurasi-bench generate|rss|run …") }
args.removeFirst()

switch command {
case "generate":
    var dir = BenchData.directory
    var scales = BenchData.scales
    var i = 0
    while i < args.count {
        if args[i] == "--scales", i + 1 < args.count {
            scales = args[i + 1].split(separator: ",").map { s -> Scale in
                guard let scale = Scale.named(String(s)) else { fail("unknown scale \(s)") }
                return scale
            }
            i += 2
        } else if args[i].hasPrefix("-") {
            // An option it does not know (or --scales without its list) is not a directory name:
            // `generate --help` once wrote every round into a directory called "--help".
            fail("kurasi-bench generate: unknown option \(args[i]); usage: kurasi-bench generate [DIR] [--scales 1x,10x,100x,1000x]")
        } else { dir = args[i]; i += 1 }
    }
    for scale in scales {
        let start = nowNanoseconds()
        let path = try BenchData.ensure(scale, in: dir)
        print(json(["scale": scale.name, "products": scale.products, "producers": scale.producers,
                    "curators": scale.curators, "events": scale.events, "store": path,
                    "bytes": BenchData.fileSize(path), "csv": BenchData.csvPath(scale, in: dir),
                    "generate_ms": ms(nowNanoseconds() - start)]))
    }

case "rss":
    // What the console holds once its first frame is drawn: the round, both rankings, the filter's
    // haystacks and a 200×60 canvas.
    guard let path = args.first else { fail("usage: kurasi-bench rss STORE") }
    let before = residentMemory()
    let handle = try StoreHandle(store: Store(path: path))
    let afterLoad = residentMemory()
    let app = BenchConsole(handle.round, width: 200, height: 60)
    let canvas = app.render()
    let after = residentMemory()
    withExtendedLifetime((handle, app, canvas)) {}
    print(json(["store": path, "bytes": BenchData.fileSize(path), "rss_start": before.rss,
                "rss_after_load": afterLoad.rss, "rss_after_frame": after.rss, "hwm": after.peak]))

case "layout":
    // Sizes of the values the console copies around (for the hot-spot notes).
    print(json(["RankedProduct": MemoryLayout<RankedProduct>.size, "Product": MemoryLayout<Product>.size,
                "Aggregate": MemoryLayout<Aggregate>.size, "Event": MemoryLayout<Event>.size, "Cell": MemoryLayout<Cell>.size]))

case "run":
    guard args.count >= 2 else { fail("usage: kurasi-bench run OP STORE [N]") }
    let op = args[0], path = args[1]
    let n = args.count > 2 ? Int(args[2]) ?? 1 : 1
    var samples: [UInt64] = [], cpuSamples: [UInt64] = []
    // Wall clock, and this process's CPU time beside it (the machine is shared: CPU time is what
    // the operation costs, wall clock what a user waits on a loaded machine).
    func cpuNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
    func time(_ body: () throws -> Void) rethrows {
        let c = cpuNanoseconds(), t = nowNanoseconds(); try body()
        samples.append(nowNanoseconds() - t); cpuSamples.append(cpuNanoseconds() - c)
    }
    switch op {
    case "load":
        for _ in 0..<n { try time { _ = try StoreHandle(store: Store(path: path)) } }
    case "decode":
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        for _ in 0..<n { try time { _ = try Store.decode(data, file: path) } }
    case "decode-foundation":
        // The load path before the one-pass reader: Foundation's JSONDecoder for the whole round
        // (without the validation, which was about 10% of it).
        // Schema 2 stores need the schema in the decoder's userInfo (as Store.decode sets it).
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        decoder.userInfo[.kurasiSchemaVersion] = Store(path: path).schemaOnDisk ?? 1
        for _ in 0..<n { try time { _ = try decoder.decode(Round.self, from: data) } }
    case "proto-parse":
        // Not Kurasi's code: see Prototype.swift. Reads the file and builds the tree and the scores.
        for _ in 0..<n {
            try time {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let doc = try Prototype.parse(data)
                withExtendedLifetime(Prototype.scores(doc)) {}
            }
        }
    case "jsonserialization":
        for _ in 0..<n {
            try time { _ = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) }
        }
    case "encode":
        let round = try Store(path: path).load()
        for _ in 0..<n { try time { _ = try Store.encode(round) } }
    case "compact":
        let copy = try BenchData.scratchCopy(of: path, tag: "compact")
        defer { BenchData.removeScratch(copy) }
        let handle = try StoreHandle(store: Store(path: copy))
        handle.compactEvery = .max
        let t = Workload.editTarget(handle.round)
        for _ in 0..<n {
            _ = try handle.commit { r in try r.perform(.score(product: t.product, points: [t.criterion: Workload.nextPoint(r, t)]), by: t.curator, at: "2020-10-15T16:00:00Z") }
            try time { try handle.compact() }
        }
    case "edit":
        // As in the console: a State holds the round too, given the answer after each edit.
        let copy = try BenchData.scratchCopy(of: path, tag: "edit")
        defer { BenchData.removeScratch(copy) }
        let handle = try StoreHandle(store: Store(path: copy))
        handle.compactEvery = .max
        var state = State(round: handle.round, lang: .id, curator: handle.round.curators.first?.id)
        let t = Workload.editTarget(handle.round)
        for _ in 0..<n {
            let v = Workload.nextPoint(handle.round, t)
            var answer: Msg?
            try time { answer = try Workload.commitScore(handle, t, v) }
            _ = update(&state, answer!)
        }
    case "rank":
        var round = try Store(path: path).load()
        var state = State(round: round, lang: .id, curator: round.curators.first?.id)
        let t = Workload.editTarget(round)
        for _ in 0..<n {
            var next = round
            let event = try next.perform(.score(product: t.product, points: [t.criterion: Workload.nextPoint(next, t)]), by: t.curator, at: "2020-10-15T16:00:00Z")
            time { _ = update(&state, .committed(.saved(next, event))) }
            round = next
        }
    case "setup":
        // The console's own setup once the round is loaded: State(round:) (both rankings, the
        // search index, the producers' list and the registry's suspects) and the first frame.
        let round = try Store(path: path).load()
        for _ in 0..<n { time { withExtendedLifetime(Workload.console(round)) {} } }
    case "setup-first":
        // What the console does before its first ranked frame when it opens a store: State(round:)
        // ranking only the cluster the list opens on (the search index, the events by product, the
        // first blind order) and the first frame; the other cluster is `rank-rest`, behind it.
        let round = try Store(path: path).load()
        for _ in 0..<n { time { withExtendedLifetime(Workload.console(round, deferringRankings: true)) {} } }
    case "rank-rest":
        // The ranking made behind the first frame: the other cluster (non-mamin).
        let round = try Store(path: path).load()
        for _ in 0..<n { time { _ = round.ranking(.nonMamin) } }
    case "rank-full":
        let round = try Store(path: path).load()
        for _ in 0..<n { time { _ = round.ranking(.mamin) } }
    case "frame":
        let round = try Store(path: path).load()
        let app = Workload.console(round)
        for i in 0..<n {
            app.handle(i % 40 < 20 ? .down : .up)
            time { _ = app.render() }
        }
    case "filter":
        let round = try Store(path: path).load()
        let app = Workload.console(round)
        app.handle(.char("/"))
        for i in 0..<n {
            let k = i % Workload.filterText.count
            if k == 0, i > 0 { app.handle(.escape); app.handle(.char("/")) }
            time { app.handle(.char(Workload.filterText[k])); _ = app.render() }
        }
    case "producers":
        // The producers screen at registry size: each sample is one key and the frame after it,
        // cycling through moving, filtering, marking and validating (the commit applied in memory
        // and answered, as the runtime does) and returning the producer to pending.
        let round = try Store(path: path).load()
        let app = Workload.console(round)
        app.handle(.char("v"))
        let keys: [Key] = [.down, .down, .pageDown, .char(" "), .up, .char(" "), .char("a"), .char("z"), .char("n"),
                           .char("/"), .char("s"), .char("a"), .enter, .escape, .tab, .backTab, .char("G"), .char("g")]
        for i in 0..<n {
            let key = keys[i % keys.count]
            time {
                for effect in update(&app.state, .key(key)) {
                    guard case let .commit(command, by) = effect else { continue }
                    var next = app.state.round
                    if let event = try? next.perform(command, by: by, at: "2020-10-15T16:00:00Z") {
                        app.send(.committed(.saved(next, event)))
                    }
                }
                _ = app.render()
            }
        }
    case "next-pair":
        // The pairwise screen as the console opens it (`w` from the list): the next pair for the
        // active curator and the screen's frame, on the rankings the console holds.
        let round = try Store(path: path).load()
        let app = Workload.console(round)
        for _ in 0..<n {
            time { app.handle(.char("w")); _ = app.render() }
            app.handle(.escape)
        }
    case "feedback-write":
        // Only the writing of `kurasi feedback -o DIR`: every producer's sheet, computed and
        // rendered before the clock starts, written one file each as the command does.
        let round = try Store(path: path).load()
        let texts = round.feedback(lang: .id).map { ($0.fileStem, $0.markdown(round: round.round, lang: .id)) }
        let dir = NSTemporaryDirectory() + "kurasi-bench-feedback-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for _ in 0..<n {
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try time {
                for (stem, text) in texts {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("\(stem).md")))
                }
            }
        }
    case "calibration", "stability", "normalised", "pairwise", "readiness", "feedback":
        let round = try Store(path: path).load()
        for _ in 0..<n {
            time {
                switch op {
                case "calibration": withExtendedLifetime(round.calibration()) {}
                case "stability": withExtendedLifetime(round.stability()) {}
                case "normalised":
                    // As `kurasi report normalised` and the analysis screen: one normalisation for both clusters.
                    let norm = round.normalisation()
                    withExtendedLifetime(Cluster.allCases.map { round.normalisedRows($0, normalisation: norm) }) {}
                case "pairwise": withExtendedLifetime(Cluster.allCases.map { round.pairwise($0, everything: true) }) {}
                case "readiness": withExtendedLifetime(round.readiness(lang: .id)) {}
                default: withExtendedLifetime(round.feedback(lang: .id).map { $0.markdown(round: round.round, lang: .id) }) {}
                }
            }
        }
    default:
        fail("unknown operation \(op)")
    }
    let sorted = samples.sorted(), cpu = cpuSamples.sorted()
    func p99(_ s: [UInt64]) -> Double { ms(s[min(s.count - 1, s.count * 99 / 100)]) }
    print(json(["op": op, "store": path, "n": n, "min_ms": ms(sorted.first ?? 0), "median_ms": ms(sorted[sorted.count / 2]),
                "p99_ms": p99(sorted), "max_ms": ms(sorted.last ?? 0),
                "cpu_median_ms": ms(cpu[cpu.count / 2]), "cpu_p99_ms": p99(cpu), "cpu_max_ms": ms(cpu.last ?? 0)]))

default:
    fail("unknown command \(command)")
}
