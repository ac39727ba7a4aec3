import Foundation
import PipecTestSupport

/// Debian's Chromium, headless, for tests that look at the docs site as a browser renders it. Every run maps all
/// host names to nowhere (`--host-resolver-rules`) and writes a network log, so a test can show that a page made
/// no request outside the file system.
enum HeadlessChromium {
    static let binary: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Failure: Error, CustomStringConvertible { var description: String }

    struct Result {
        var output: String
        /// The network log Chromium wrote (JSON text).
        var netLog: String
    }

    /// Runs Chromium on a file URL with `extra` flags (after the common ones), in a profile of its own.
    static func run(_ url: URL, _ extra: [String]) throws -> Result {
        guard let binary else { throw Failure(description: "chromium is not installed (scripts/test.sh installs it)") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let netLog = scratch.appendingPathComponent("net.json")
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
                         "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=\(netLog.path)", "--net-log-capture-mode=Default",
                         "--allow-file-access-from-files", "--virtual-time-budget=3000"] + extra + [url.absoluteString]
        let out = try ProcessRunner.run(binary, arguments)
        guard out.status == 0 else { throw Failure(description: "chromium exited \(out.status): \(out.stderr.suffix(2000))") }
        let log = (try? String(contentsOf: netLog, encoding: .utf8)) ?? ""
        return Result(output: out.stdout, netLog: log)
    }

    /// The DOM after the page's scripts ran, serialized.
    static func dumpDOM(_ file: URL, query: String = "") throws -> Result {
        var url = file
        if !query.isEmpty { url = URL(string: file.absoluteString + query)! }
        return try run(url, ["--dump-dom"])
    }

    /// A PNG of the page at 1200x900.
    static func screenshot(_ file: URL, to png: URL) throws -> Result {
        try run(file, ["--screenshot=\(png.path)", "--window-size=1200,900", "--hide-scrollbars"])
    }

    /// Hosts of Chromium's own background services (network time, component updates, accounts, spelling
    /// dictionaries): the browser asks them whatever page it shows, so they say nothing about the page.
    static let browserServices = ["google.com", "googleapis.com", "gvt1.com"]

    /// The URLs the network log shows requests for that are neither file URLs nor the browser's own services
    /// (so: nothing, for a static site).
    static func networkRequests(_ netLog: String) -> [String] {
        var out: [String] = []
        var rest = Substring(netLog)
        while let r = rest.range(of: "\"url\":\"") {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            let url = String(after[..<end])
            let host = URLComponents(string: url)?.host ?? ""
            let ownService = browserServices.contains { host == $0 || host.hasSuffix("." + $0) }
            if !url.hasPrefix("file:") && !url.hasPrefix("data:") && !url.hasPrefix("about:") && !url.hasPrefix("chrome") && !ownService {
                out.append(url)
            }
            rest = after[end...]
        }
        return out
    }
}
