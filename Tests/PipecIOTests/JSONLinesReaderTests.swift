import PipecIO
import Testing

@Suite struct JSONLinesReaderTests {
    @Test func objectsBecomeTextFieldsAndOtherLinesAreReported() throws {
        let text = """
            {"id": 1, "name": "a", "ok": true, "tags": {"b": 2, "a": [1, 2]}, "gone": null}
              
            {"id": 2.5, "name": "quoted \\"x\\""}
            [1, 2]
            {"id": 3, "flag": false}
            """
        // Fed in 7-byte reads, so lines straddle reads; the last line has no newline.
        var reader = JSONLinesReader(ChunkedSource(Array(text.utf8), size: 7))
        var records: [JSONLinesReader.Record] = []
        while let r = try reader.next() { records.append(r) }
        #expect(records.count == 4)
        guard case .object(let l1, let f1) = records[0], case .object(_, let f2) = records[1],
              case .invalid(let l3, _, let raw) = records[2], case .object(_, let f4) = records[3] else {
            Issue.record("unexpected records: \(records)")
            return
        }
        #expect(l1 == 1)
        #expect(f1["id"] == "1" && f1["name"] == "a" && f1["ok"] == "true")
        #expect(f1["tags"] == #"{"a":[1,2],"b":2}"#)
        #expect(f1.keys.contains("gone") && f1["gone"]! == nil)
        #expect(f2["id"] == "2.5" && f2["name"] == #"quoted "x""#)
        #expect(l3 == 4 && raw == "[1, 2]")
        #expect(f4["flag"] == "false")
    }
}

/// Serves bytes in reads of at most `size`, whatever the caller asks for.
struct ChunkedSource: ByteSource {
    let bytes: [UInt8]
    let size: Int
    var offset = 0
    init(_ bytes: [UInt8], size: Int) {
        self.bytes = bytes
        self.size = size
    }
    mutating func read(maxCount: Int) throws -> [UInt8] {
        let end = min(bytes.count, offset + min(size, maxCount))
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
