import KurasiCore

/// A small seeded generator (KurasiCore's SplitMix64, the bootstrap's): the same seed gives the
/// same round on every machine and every run. Swift's SystemRandomNumberGenerator and Dictionary
/// iteration order are both per-process, so the generator uses neither for a decision.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var core: SplitMix64
    public init(seed: UInt64) { core = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { core.next() }

    /// Uniform in 0..<1.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
    public mutating func pick<T>(_ list: [T]) -> T { list[Int(next() % UInt64(list.count))] }
    /// Roughly normal (sum of uniforms), mean 0, standard deviation `sd`.
    public mutating func normal(sd: Double) -> Double {
        var s = 0.0
        for _ in 0..<4 { s += unit() }
        return (s - 2) * sd * 1.7320508
    }
}
