import Benchmark
import Foundation
import KurasiConsole
import KurasiCore
import KurasiStore
import KurasiSynth

// Kurasi's in-process benchmarks, one set per size of synthetic round (see ../../README.md).
// The rounds are read from $KURASI_BENCH_DIR (run.sh generates them there); without it they are
// generated on first use under the temp dir. $KURASI_BENCH_SCALES picks the sizes ("1x,10x").
//
// Each benchmark runs in a process of its own (ordo-one/benchmark does that), so what a setup
// loads is loaded once per benchmark, outside the measurement.

/// Mutable state carried from one iteration to the next.
final class Box<T> {
    var value: T
    init(_ value: T) { self.value = value }
}

/// How many iterations a size gets: fewer where one iteration takes seconds (the whole of
/// run.sh should stay near ten minutes on 2 cores). `slowest` is for the compaction, whose one
/// iteration at 100,000 products takes about half a minute.
func configuration(_ scale: Scale, heavy: Bool, slowest: Bool = false) -> Benchmark.Configuration {
    let big = scale.products >= 100_000, mid = scale.products >= 30_000
    return .init(
        metrics: [.wallClock],
        timeUnits: .microseconds,
        warmupIterations: heavy ? (mid ? 0 : 1) : 5,
        maxDuration: .seconds(heavy ? (big ? 60 : 20) : 5),
        maxIterations: heavy ? (big ? (slowest ? 1 : 2) : mid ? (slowest ? 2 : 3) : 10) : (big ? 200 : 1000)
    )
}

func load(_ scale: Scale) throws -> Round {
    try Store(path: BenchData.ensure(scale)).load()
}

let benchmarks: @Sendable () -> Void = {
    for scale in BenchData.scales {
        let s = scale.name

        // Store load: the snapshot read and decoded, the journal (empty here) applied.
        Benchmark("load \(s)", configuration: configuration(scale, heavy: true)) { benchmark, path in
            for _ in benchmark.scaledIterations {
                blackHole(try! StoreHandle(store: Store(path: path)))
            }
        } setup: { try BenchData.ensure(scale) }

        // Compaction: after one edit, the snapshot rewritten from the round (backup kept, new journal).
        Benchmark("compaction \(s)", configuration: configuration(scale, heavy: true, slowest: true)) { benchmark, handle in
            // (editTarget costs a pass over the products; next to a compaction that is nothing.)
            let t = Workload.editTarget(handle.round)
            _ = try! handle.commit { r in
                try r.perform(.score(product: t.product, points: [t.criterion: Workload.nextPoint(r, t)]),
                              by: t.curator, at: "2020-10-15T16:00:00Z")
            }
            benchmark.startMeasurement()
            try! handle.compact()
            benchmark.stopMeasurement()
        } setup: { () -> StoreHandle in
            let copy = try BenchData.scratchCopy(of: BenchData.ensure(scale), tag: "compaction")
            let handle = try StoreHandle(store: Store(path: copy))
            handle.compactEvery = .max
            return handle
        } teardown: {
            // The scratch folder is per process: remove it by name.
            try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "kurasi-bench-scratch-\(getpid())-compaction")
        }

        // One score edit end to end as the console's runtime makes it: lock, catch up with the
        // journal, plan and apply, append one line, fsync. As in the console, a State holds the
        // round too (it is given the answer after each edit, untimed), so an edit
        // that copies storage the two share pays for it here. Automatic compaction is off (it is
        // measured above); with the default it runs inline on every 200th edit.
        Benchmark("edit durable \(s)", configuration: configuration(scale, heavy: false)) { benchmark, box in
            let (handle, _, t) = box.value
            let v = Workload.nextPoint(handle.round, t)
            benchmark.startMeasurement()
            let answer = try? Workload.commitScore(handle, t, v)
            benchmark.stopMeasurement()
            guard let answer else { benchmark.error("the edit failed"); return }
            _ = update(&box.value.1, answer)
        } setup: { () -> Box<(StoreHandle, State, Workload.Target)> in
            let copy = try BenchData.scratchCopy(of: BenchData.ensure(scale), tag: "edit")
            let handle = try StoreHandle(store: Store(path: copy))
            handle.compactEvery = .max
            return Box((handle, State(round: handle.round, lang: .id, curator: handle.round.curators.first?.id),
                        Workload.editTarget(handle.round)))
        } teardown: {
            try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "kurasi-bench-scratch-\(getpid())-edit")
        }

        // The console's rankings brought up to date after one score edit (update with the
        // commit's answer: the incremental rerank of the edited product, then the filter).
        Benchmark("ranking after edit \(s)", configuration: configuration(scale, heavy: false)) { benchmark, box in
            let t = box.value.1
            var next = box.value.0.round
            let event = try! next.perform(.score(product: t.product, points: [t.criterion: Workload.nextPoint(next, t)]),
                                          by: t.curator, at: "2020-10-15T16:00:00Z")
            benchmark.startMeasurement()
            _ = update(&box.value.0, .committed(.saved(next, event)))
            benchmark.stopMeasurement()
        } setup: { () -> Box<(State, Workload.Target)> in
            let round = try load(scale)
            return Box((State(round: round, lang: .id, curator: round.curators.first?.id), Workload.editTarget(round)))
        }

        // For comparison: the edited cluster's ranking computed from scratch.
        Benchmark("ranking full recompute \(s)", configuration: configuration(scale, heavy: scale.products >= 30_000)) { benchmark, round in
            for _ in benchmark.scaledIterations { blackHole(round.ranking(.mamin)) }
        } setup: { try load(scale) }

        // One frame of the product list at 200×60 (list, side pane with the selected product's
        // history, hint and status lines). The cursor moves between frames, untimed.
        Benchmark("frame 200x60 \(s)", configuration: configuration(scale, heavy: false)) { benchmark, box in
            box.value.1 += 1
            box.value.0.handle(box.value.1 % 40 < 20 ? .down : .up)
            benchmark.startMeasurement()
            blackHole(box.value.0.render())
            benchmark.stopMeasurement()
        } setup: { Box((Workload.console(try load(scale)), 0)) }

        // One keystroke in the filter ("/" then p, e, c, e, l): the rows filtered again and the
        // frame drawn. After the fifth key Esc clears the filter, untimed.
        Benchmark("filter keystroke \(s)", configuration: configuration(scale, heavy: false)) { benchmark, box in
            let (app, i) = box.value
            let k = i % Workload.filterText.count
            if k == 0 { app.handle(.escape); app.handle(.char("/")) }
            benchmark.startMeasurement()
            app.handle(.char(Workload.filterText[k]))
            blackHole(app.render())
            benchmark.stopMeasurement()
            box.value.1 = i + 1
        } setup: { Box((Workload.console(try load(scale)), 0)) }
    }
}
