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
        #expect(throws: CSVError(line: 3, message: "unterminated quoted field", raw: "\"open", resynchronised: true)) {
            while try reader.next() != nil {}
        }
        var bad = CSVReader(MemorySource("a,b\n\"x\"y,1\n"), format: .csv)
        #expect(throws: CSVError.self) { while try bad.next() != nil {} }
    }

    /// Reads every record, collecting the bad ones (the reader goes on after each).
    func recordsAndErrors(_ text: String, chunk: Int = 1 << 20, maxRecordBytes: Int = 64 << 20) throws -> (rows: [[String?]], errors: [CSVError]) {
        var reader = CSVReader(MemorySource(text), format: .csv, chunkSize: chunk, maxRecordBytes: maxRecordBytes)
        var rows: [[String?]] = [], errors: [CSVError] = []
        while true {
            do {
                guard let r = try reader.next() else { break }
                rows.append(r.fields)
            } catch let e as CSVError {
                errors.append(e)
                if !e.resynchronised { break }
            }
        }
        return (rows, errors)
    }

    /// Issue 17.9: an unterminated quote or text after a closing quote is one bad record; reading goes on at the
    /// next line, whatever the chunk size.
    @Test(arguments: [1, 2, 5, 1 << 20])
    func aBadQuoteIsOneRecord(chunk: Int) throws {
        let text = "id,v\n1,a\n2,\"open\n3,c\n4,\"x\"y\r\n5,e\n6,\"ok\nstill\"\n"
        let (rows, errors) = try recordsAndErrors(text, chunk: chunk)
        #expect(rows == [["1", "a"], ["3", "c"], ["5", "e"], ["6", "ok\nstill"]])
        #expect(errors == [CSVError(line: 3, message: "unexpected character after a closing quote", raw: "2,\"open", resynchronised: true),
                           CSVError(line: 5, message: "unexpected character after a closing quote", raw: "4,\"x\"y", resynchronised: true)])
    }

    /// A record that runs on past the limit cannot be resynchronised: the rest of the file is not read.
    @Test func aRecordPastTheLimitEndsTheRead() throws {
        let text = "id,v\n1,a\n2,\"" + String(repeating: "x\n", count: 100) + "3,c\n"
        let (rows, errors) = try recordsAndErrors(text, chunk: 16, maxRecordBytes: 64)
        #expect(rows == [["1", "a"]])
        #expect(errors.count == 1 && errors[0].resynchronised == false && errors[0].line == 3, "\(errors)")
    }

    /// Issue 17.8: a UTF-8 byte-order mark is not part of the first column's name; bytes that are not UTF-8 make a
    /// bad record (never replacement characters in the data).
    @Test(arguments: [1, 2, 1 << 20])
    func byteOrderMarkAndInvalidUTF8(chunk: Int) throws {
        var reader = CSVReader(MemorySource([0xEF, 0xBB, 0xBF] + Array("order_id,v\n1,a\n2,b".utf8) + [0xFF, 0xFE] + Array("\n3,c\n".utf8)),
                               format: .csv, chunkSize: chunk)
        #expect(try reader.readHeader() == ["order_id", "v"])
        #expect(try reader.next()?.fields == ["1", "a"])
        do {
            _ = try reader.next()
            Issue.record("invalid UTF-8 was read as text")
        } catch let e as CSVError {
            #expect(e.line == 3 && e.resynchronised && e.message == "a field is not valid UTF-8", "\(e)")
        }
        #expect(try reader.next()?.fields == ["3", "c"])
        #expect(try reader.next() == nil)
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
