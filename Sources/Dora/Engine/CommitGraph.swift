import Foundation

/// The commit graph in flat arrays: shas interned to `Int32` indices, parents in CSR form
/// (`parentStart[i] ..< parentStart[i + 1]` indexes `parentList`), and a `deployed` bitset.
/// Every walk over it is linear in commits + parent edges over the whole history.
struct CommitGraph {
    private(set) var index: [String: Int32]
    private(set) var shas: [String]
    /// The commit time chosen by `commitTime` (seconds since 1970).
    private(set) var times: [Double]
    private var parentStart: [Int32]
    private var parentList: [Int32]
    private var deployed: [UInt64]
    private var stack: [Int32] = []

    /// Builds the graph from the commits dated (by `committedAt`) before `asOf`. Duplicate shas keep
    /// their first record; parents that are not in the graph (outside the synced range) are dropped.
    init(commits: [CommitRecord], commitTime: DoraDefinitions.CommitTime, asOf: Date) {
        let cutoff = asOf.timeIntervalSince1970
        var index = [String: Int32](minimumCapacity: commits.count)
        var shas: [String] = []
        var times: [Double] = []
        var kept: [Int] = []
        shas.reserveCapacity(commits.count)
        times.reserveCapacity(commits.count)
        kept.reserveCapacity(commits.count)
        for (position, commit) in commits.enumerated() where commit.committedAt.timeIntervalSince1970 < cutoff {
            let next = Int32(shas.count)
            if index[commit.sha] != nil { continue }  // a duplicated sha keeps its first record
            index[commit.sha] = next
            shas.append(commit.sha)
            times.append(
                commitTime == .authored ? commit.authoredAt.timeIntervalSince1970 : commit.committedAt.timeIntervalSince1970)
            kept.append(position)
        }
        var parentStart = [Int32](repeating: 0, count: shas.count + 1)
        var parentList: [Int32] = []
        parentList.reserveCapacity(shas.count + shas.count / 4)
        for (i, position) in kept.enumerated() {
            for parent in commits[position].parents {
                if let p = index[parent] { parentList.append(p) }
            }
            parentStart[i + 1] = Int32(parentList.count)
        }
        self.index = index
        self.shas = shas
        self.times = times
        self.parentStart = parentStart
        self.parentList = parentList
        self.deployed = [UInt64](repeating: 0, count: (shas.count + 63) / 64)
    }

    var count: Int { shas.count }

    func lookup(_ sha: String) -> Int32? { index[sha] }

    func isDeployed(_ commit: Int32) -> Bool {
        deployed[Int(commit) >> 6] & (1 << (UInt64(commit) & 63)) != 0
    }

    /// Marks every ancestor of `start` (inclusive) not yet deployed as deployed, appending them to
    /// `output`; stops at commits already deployed, so each commit is visited once over all calls.
    mutating func deployAncestors(of start: Int32, into output: inout [Int32]) {
        if isDeployed(start) { return }
        var stack: [Int32] = []
        var bitset: [UInt64] = []
        swap(&stack, &self.stack)
        swap(&bitset, &deployed)
        defer {
            swap(&stack, &self.stack)
            swap(&bitset, &deployed)
        }
        stack.removeAll(keepingCapacity: true)
        stack.append(start)
        bitset[Int(start) >> 6] |= 1 << (UInt64(start) & 63)
        parentList.withUnsafeBufferPointer { parents in
            parentStart.withUnsafeBufferPointer { starts in
                bitset.withUnsafeMutableBufferPointer { bits in
                    while let commit = stack.popLast() {
                        output.append(commit)
                        var k = Int(starts[Int(commit)])
                        let to = Int(starts[Int(commit) + 1])
                        while k < to {
                            let parent = parents[k]
                            let word = Int(parent) >> 6
                            let bit: UInt64 = 1 << (UInt64(parent) & 63)
                            if bits[word] & bit == 0 {
                                bits[word] |= bit
                                stack.append(parent)
                            }
                            k += 1
                        }
                    }
                }
            }
        }
    }
}
