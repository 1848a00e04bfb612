// LimitPlan: a problem's limits layered for one language (docs/reference/sandbox-profiles.md, "Limits") and checked
// against the
// language's run.max_limits before anything runs.
import Languages
import Sandbox

/// Limit layering of a problem for one language (docs/reference/sandbox-profiles.md, "Limits") and its ceilings.
enum LimitPlan {
    struct AboveCeiling: Error, CustomStringConvertible { let description: String }

    /// Problem-side layers, oldest first: cpu/wall multiplied by time_factor unless per_language.
    static func layer(_ specs: [Problem.LimitSpec], language: ResolvedLanguage) throws -> LimitLayer {
        let run = language.profile.run
        var out = LimitLayer()
        for spec in specs {
            var base = spec.base
            base.cpu = base.cpu.map { $0 * run.timeFactor }
            base.wall = base.wall.map { $0 * run.timeFactor }
            for layer in [base, spec.perLanguage[language.profile.name] ?? LimitLayer()] {
                let hadWall = out.wall
                out = out.overlaid(by: layer)
                if layer.cpu != nil && layer.wall == nil { out.wall = nil } else if layer.wall == nil { out.wall = hadWall }
            }
        }
        if let max = run.maxLimits {
            for v in out.violations(of: max, ceilingName: "\(language.profile.name)'s run.max_limits") {
                throw AboveCeiling(description: "limits.\(v.key): \(v.message)")
            }
        }
        return out
    }
}
