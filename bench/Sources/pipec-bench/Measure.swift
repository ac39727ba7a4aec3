import Foundation

enum Measure {
    /// Median wall time of `runs` calls, in seconds.
    static func median(runs: Int = 5, _ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    /// Median wall times of `runs` calls of each of `a` and `b`, called in turns (a, b, a, b, ...).
    static func medians(runs: Int, _ a: () -> Void, _ b: () -> Void) -> (Double, Double) {
        var times: ([Double], [Double]) = ([], [])
        for _ in 0..<runs {
            times.0.append(seconds(a))
            times.1.append(seconds(b))
        }
        return (times.0.sorted()[runs / 2], times.1.sorted()[runs / 2])
    }

    private static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Peak resident set size of this process so far, in MiB (from /proc/self/status VmHWM).
    static func peakRSSMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f s", seconds) }
    static func ratio(_ x: Double) -> String { String(format: "%.2fx", x) }
}
