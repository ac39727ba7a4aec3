import Testing
@testable import PipecIO

@Suite struct CSVTests {
    func records(_ text: String, format: CSVFormat = .csv, chunk: Int = 1 << 20) throws -> (header: [String]?, rows: [[String?]]) {
        var reader = CSVReader(MemorySource(text), format: format, chunkSize: chunk)
        var rows: [[String?]] = []
        let header = try reader.readHeader()
        while let r = try reader.next() { rows.append(r.fields) }
        return (header, rows)
    }

    @Test func quotingNullsAndLineEnds() throws {
        let text = "id,name,note\r\n1,\"Smith, J\",\"said \"\"hi\"\"\"\r\n2,,\"\"\n3,\"multi\nline\",x"
        let (header, rows) = try records(text)
        #expect(header == ["id", "name", "note"])
        #expect(rows == [["1", "Smith, J", "said \"hi\""], ["2", nil, ""], ["3", "multi\nline", "x"]])
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func tinyChunksGiveTheSameRecords(chunk: Int) throws {
        let text = "a,b\n\"x,\"\"y\"\"\",2\r\n,\"\"\n\"z\nw\",9\n"
        #expect(try records(text, chunk: chunk).rows == [["x,\"y\"", "2"], [nil, ""], ["z\nw", "9"]])
    }

    @Test func lineNumbersCountEmbeddedNewlines() throws {
        var reader = CSVReader(MemorySource("h\n\"a\nb\"\nc\n"), format: .csv)
        _ = try reader.readHeader()
        #expect(try reader.next()?.line == 2)
        #expect(try reader.next()?.line == 4)
    }

    @Test func errorsSayWhere() {
        var reader = CSVReader(MemorySource("a\n1\n\"open\n"), format: .csv)
        #expect(throws: CSVError(line: 3, message: "unterminated quoted field")) {
            while try reader.next() != nil {}
        }
        var bad = CSVReader(MemorySource("a,b\n\"x\"y,1\n"), format: .csv)
        #expect(throws: CSVError.self) { while try bad.next() != nil {} }
    }

    @Test func tsvAndNoHeader() throws {
        let (header, rows) = try records("1\tx\n2\ty\n", format: CSVFormat(delimiter: UInt8(ascii: "\t"), header: false))
        #expect(header == nil)
        #expect(rows == [["1", "x"], ["2", "y"]])
    }

    @Test func writerRoundTrips() throws {
        var writer = CSVWriter()
        let input: [[String?]] = [["id", "text"], ["1", "a,b"], ["2", "say \"x\""], ["3", nil], ["4", ""], ["5", "two\nlines"]]
        for r in input { writer.write(r) }
        let text = String(decoding: writer.take(), as: UTF8.self)
        #expect(text == "id,text\n1,\"a,b\"\n2,\"say \"\"x\"\"\"\n3,\n4,\"\"\n5,\"two\nlines\"\n")
        let (header, rows) = try records(text)
        #expect(header == ["id", "text"])
        #expect(rows == Array(input.dropFirst()))
    }
}
