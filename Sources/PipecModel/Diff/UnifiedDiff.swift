/// Line diffs in the unified format (`@@ -a,b +c,d @@`) that code review tools and people read.
public enum UnifiedDiff {
    enum Edit: Equatable {
        case same(String), removed(String), added(String)
    }

    /// The unified diff of two texts with `context` lines around each change; empty when they are equal.
    public static func diff(_ old: String, _ new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        guard a != b else { return "" }
        let edits = shortestEdits(a, b)
        var out = "--- \(oldLabel)\n+++ \(newLabel)\n"
        // Group edits into hunks separated by more than 2 * context unchanged lines.
        var i = 0
        while i < edits.count {
            guard let firstChange = edits[i...].firstIndex(where: { if case .same = $0 { return false } else { return true } }) else { break }
            var end = firstChange
            var lastChange = firstChange
            while end < edits.count {
                if case .same = edits[end] {
                    if end - lastChange > 2 * context { break }
                } else {
                    lastChange = end
                }
                end += 1
            }
            let start = max(i, firstChange - context)
            let stop = min(edits.count, lastChange + context + 1)
            var oldStart = 1, newStart = 1
            for e in edits[..<start] {
                switch e {
                case .same: oldStart += 1; newStart += 1
                case .removed: oldStart += 1
                case .added: newStart += 1
                }
            }
            var oldCount = 0, newCount = 0, body = ""
            for e in edits[start..<stop] {
                switch e {
                case .same(let l): oldCount += 1; newCount += 1; body += " \(l)\n"
                case .removed(let l): oldCount += 1; body += "-\(l)\n"
                case .added(let l): newCount += 1; body += "+\(l)\n"
                }
            }
            out += "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n" + body
            i = stop
        }
        return out
    }

    static func lines(_ text: String) -> [String] {
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if l.last == "" { l.removeLast() }
        return l
    }

    /// Myers' O((N+M)D) shortest edit script, then walked back into a list of edits.
    static func shortestEdits(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count, m = b.count, max = n + m
        if max == 0 { return [] }
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]) {
                    x = v[k + 1 + max]
                } else {
                    x = v[k - 1 + max] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[k + max] = x
                if x >= n, y >= m { break outer }
            }
        }
        var edits: [Edit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]) { previousK = k + 1 } else { previousK = k - 1 }
            let previousX = v[previousK + max]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                edits.append(.same(a[x - 1])); x -= 1; y -= 1
            }
            if d > 0 {
                if x == previousX { edits.append(.added(b[y - 1])) } else { edits.append(.removed(a[x - 1])) }
            }
            x = previousX; y = previousY
        }
        return edits.reversed()
    }
}
