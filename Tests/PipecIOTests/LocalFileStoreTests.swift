import Foundation
import Testing
@testable import PipecIO

@Suite struct LocalFileStoreTests {
    @Test func writeReadListDelete() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-store-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = LocalFileStore(root: root)
        var sink = try store.writer(for: "gold/dt=2025-01-01/part-0.csv", contentType: "text/csv")
        try sink.write(Array("a,b\n".utf8))
        #expect(try store.exists("gold/dt=2025-01-01/part-0.csv") == false)   // not visible before finish
        try sink.write(Array("1,2\n".utf8))
        try sink.finish()
        #expect(try store.exists("gold/dt=2025-01-01/part-0.csv"))
        var reader = try store.reader(for: "gold/dt=2025-01-01/part-0.csv")
        #expect(try reader.read(maxCount: 100) == Array("a,b\n1,2\n".utf8))
        #expect(try store.list(prefix: "gold/") == ["gold/dt=2025-01-01/part-0.csv"])
        #expect(try store.list(prefix: "silver/") == [])
        try store.delete("gold/dt=2025-01-01/part-0.csv")
        #expect(try store.exists("gold/dt=2025-01-01/part-0.csv") == false)
        #expect(throws: ObjectStoreError.self) { _ = try store.reader(for: "missing.csv") }
        #expect(throws: ObjectStoreError.self) { _ = try store.writer(for: "../escape.csv", contentType: "text/csv") }
    }
}
