import Foundation

/// The commit graph facts activity generation needs: which commits are on the branch and which were merged in.
struct HistoryShape {
    /// A merge on the branch and the side commits it brought in (oldest first).
    struct Merge {
        var mergeIndex: Int
        var featureIndices: [Int]
        var branchName: String
    }

    var commits: [SimCommit]
    /// Indices of the first-parent chain, oldest first.
    var mainIndices: [Int]
    var merges: [Merge]
    var tags: [SimTag]
    var releases: [SimRelease]
    var defaultBranch: String
    var now: Date
}
