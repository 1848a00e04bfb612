// Scoring: points, groups, the fraction, the rounded score and `correct` (docs/reference/problem-yml.md, "Scoring";
// docs/reference/results.md, "Score and reply").
import Foundation

enum Scoring {
    /// Earned and possible points over the records and groups, by the problem's scoring mode.
    static func totals(_ tests: [TestRecord], groups: [Problem.Group], mode: Problem.ScoringMode) -> (earned: Double, possible: Double, allPassed: Bool) {
        let allPassed = tests.allSatisfy { $0.verdict == .AC }
        switch mode {
        case .allOrNothing:
            let possible = tests.reduce(0) { $0 + $1.points.possible }
            return (allPassed ? possible : 0, possible, allPassed)
        case .groups:
            let gs = groupPoints(tests, groups)
            return (gs.reduce(0) { $0 + $1.earned }, gs.reduce(0) { $0 + $1.possible }, allPassed)
        case .sum:
            let grouped = Set(groups.flatMap(\.members))
            let loose = tests.filter { !grouped.contains($0.name) }
            let gs = groupPoints(tests, groups)
            return (loose.reduce(0) { $0 + $1.points.earned } + gs.reduce(0) { $0 + $1.earned },
                    loose.reduce(0) { $0 + $1.points.possible } + gs.reduce(0) { $0 + $1.possible }, allPassed)
        }
    }

    /// Per group: all-or-nothing groups earn points × the smallest fraction (DMOJ batches).
    static func groupPoints(_ tests: [TestRecord], _ groups: [Problem.Group]) -> [(name: String, earned: Double, possible: Double)] {
        groups.map { g in
            let members = tests.filter { g.members.contains($0.name) }
            if members.isEmpty { return (g.name, 0, 0) }
            if g.allOrNothing {
                let minFraction = members.map { $0.verdict == .AC ? 1 : ($0.verdict == .WA ? $0.fraction : 0) }.min() ?? 0
                return (g.name, g.points * minFraction, g.points)
            }
            return (g.name, members.reduce(0) { $0 + $1.points.earned }, members.reduce(0) { $0 + $1.points.possible })
        }
    }

    /// `⌊fraction × 10⁴ + 0.5⌋ / 10⁴`, clamped to 0…1, never NaN.
    static func rounded(_ fraction: Double) -> Double {
        guard fraction.isFinite else { return 0 }
        return min(1, max(0, (fraction * 10_000 + 0.5).rounded(.down) / 10_000))
    }
}
