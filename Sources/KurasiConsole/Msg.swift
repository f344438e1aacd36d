import KurasiCore

/// What happens to the console: a key, a new size, the clock ticking, and the answers to the
/// effects it asked for.
public enum Msg: Hashable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// About every 250 ms while no key arrives.
    case tick
    /// The store's answer to `Effect.commit`.
    case committed(Committed)
    /// The answer to `Effect.refresh`: the latest round, or nil when nothing changed (or the store
    /// could not be read just now; the next edit reports why).
    case refreshed(Round?)
    /// The answer to `Effect.analyse`: the analysis of the round at `revision`.
    case analysed(revision: Int, AnalysisData)
    /// The answer to `Effect.rank`: the rankings of the round at `revision` that were missing.
    case ranked(revision: Int, [Cluster: [RankedProduct]])
    /// While the round loads behind the first frame: how far the reading has come.
    case loadProgress(LoadStep)
    /// The round is read (and ranked): the console starts on it.
    case loaded(Opened)
    /// The store could not be read: its error, in the user's language, shown until q.
    case loadFailed(String)
}

/// The store's answer to a commit.
public enum Committed: Hashable, Sendable {
    /// Saved (durably): the round afterwards and the event the edit made; nil when it changed
    /// nothing (a score equal to the one already given).
    case saved(Round, Event?)
    /// A rule said no; nothing changed. The round is the latest one (the refusal may come from
    /// edits made elsewhere).
    case refused(Refusal, latest: Round)
    /// The store could not be written; nothing changed on disk.
    case failed(String)
}

/// What the console asks the world for. The runtime performs these (the store, the clock, the
/// terminal) and answers with a Msg.
public enum Effect: Hashable, Sendable {
    /// Apply a command as the curator under the store's lock and save it; answered by `.committed`.
    case commit(Command, by: CuratorID)
    /// Pick up other terminals' edits; answered by `.refreshed`.
    case refresh
    /// Compute the analysis screen's data (normalisation, stability, calibration) of the round
    /// at `revision` away from the screen; answered by `.analysed`.
    case analyse(revision: Int)
    /// Rank these clusters of the round at `revision` away from the screen (the console opened
    /// on the cluster it shows first); answered by `.ranked`.
    case rank(revision: Int, clusters: [Cluster])
    /// Clear the terminal and draw everything again (Ctrl-L).
    case redraw
    case quit
}
