import Foundation
import PipecTestSupport
import Testing
@testable import PipecIO

@Suite struct GzipTests {
    func gzip(_ data: [UInt8], writeSize: Int = 1 << 16, level: Int = 6) throws -> SharedSink {
        let inner = SharedSink()
        let sink = try GzipSink(inner, level: level)
        var start = 0
        repeat {
            let end = min(start + writeSize, data.count)
            try sink.write(Array(data[start..<end]))
            start = end
        } while start < data.count
        try sink.finish()
        return inner
    }

    func gunzip(_ data: [UInt8], readSize: Int = 1 << 16) throws -> [UInt8] {
        var source = try GunzipSource(MemorySource(data))
        return try readAll(&source, maxCount: readSize)
    }

    @Test(arguments: [0, 1, 2, 100, 65_535, 65_536, 65_537, 1 << 20, (3 << 20) + 17])
    func roundTrip(size: Int) throws {
        var random = SeededRandom(seed: UInt64(size))
        let data = random.bytes(size)
        let compressed = try gzip(data, writeSize: 1 + size / 5)
        #expect(compressed.finished)
        #expect(Array(compressed.bytes.prefix(3)) == [0x1f, 0x8b, 0x08])   // gzip magic + deflate
        #expect(compressed.largestWrite <= (1 << 20) + (1 << 17))
        #expect(try gunzip(compressed.bytes) == data)
        #expect(try gunzip(compressed.bytes, readSize: 1000) == data)
    }

    @Test func manySmallWritesAndOneHugeWrite() throws {
        var random = SeededRandom(seed: 7)
        let data = random.bytes(5 << 20)
        #expect(try gunzip(gzip(data, writeSize: 333).bytes) == data)
        let huge = try gzip(data, writeSize: data.count, level: 1)
        #expect(huge.writes > 1)   // handed on in bounded chunks, not one 5 MiB write
        #expect(try gunzip(huge.bytes, readSize: 7) == data)
    }

    @Test func gzipCommandLineReadsOurOutputAndWeReadItsOutput() throws {
        let folder = try ScratchFolder()
        var random = SeededRandom(seed: 42)
        let data = random.bytes(300_000)

        let ours = folder.file("ours.gz")
        try Data(gzip(data).bytes).write(to: URL(fileURLWithPath: ours))
        let unpack = try ProcessRunner.run("gzip", ["-d", "-f", ours])
        #expect(unpack.status == 0, "gzip -d: \(unpack.stderr)")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder.file("ours")))) == data)

        let plain = folder.file("theirs")
        try Data(data).write(to: URL(fileURLWithPath: plain))
        let pack = try ProcessRunner.run("gzip", ["-9", "-f", plain])
        #expect(pack.status == 0, "gzip: \(pack.stderr)")
        var source = try GunzipSource(FileSource(path: plain + ".gz"))
        #expect(try readAll(&source, maxCount: 4096) == data)
    }

    @Test func concatenatedMembersReadAsOneStream() throws {
        let a = Array("first member\n".utf8), b = Array("second member\n".utf8)
        let joined = try gzip(a).bytes + gzip([]).bytes + gzip(b).bytes
        #expect(try gunzip(joined) == a + b)
        #expect(try gunzip(joined, readSize: 1) == a + b)
    }

    @Test func truncatedInputIsAnError() throws {
        var random = SeededRandom(seed: 3)
        let compressed = try gzip(random.bytes(200_000)).bytes
        for cut in [compressed.count - 1, compressed.count - 8, compressed.count / 2, 5] {
            #expect(throws: GzipError.truncated(offset: cut)) { try gunzip(Array(compressed.prefix(cut))) }
        }
        #expect(throws: GzipError.truncated(offset: 0)) { try gunzip([]) }
        #expect(GzipError.truncated(offset: 10).description == "gzip data ends early after 10 compressed bytes (truncated file?)")
    }

    @Test func corruptInputSaysWhere() throws {
        #expect(throws: GzipError.corrupt(offset: 2, reason: "incorrect header check")) {
            try gunzip(Array("plain text, not gzip".utf8))
        }
        var data = try gzip(Array(repeating: UInt8(ascii: "x"), count: 1000)).bytes
        data[data.count - 6] ^= 0xff   // inside the CRC-32 of the trailer
        #expect(throws: GzipError.self) { try gunzip(data) }
        do {
            _ = try gunzip(data)
        } catch let error as GzipError {
            #expect(error.description.hasPrefix("corrupt gzip data at compressed byte"), "\(error)")
            #expect(error.description.hasSuffix("incorrect data check"), "\(error)")
        }
        let trailing = try gzip(Array("ok".utf8)).bytes + Array("junk after".utf8)
        #expect(throws: GzipError.self) { try gunzip(trailing) }
    }
}
