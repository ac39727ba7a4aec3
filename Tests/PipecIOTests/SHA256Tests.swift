import Foundation
import PipecIO
import PipecTestSupport
import Testing

@Suite struct SHA256Tests {
    /// FIPS 180-4 examples and lengths around the padding boundary (55 bytes fit one block, 56 need two).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        ("héllo ✓", "5657cdef8a85a584e0e961e6f8247cf5d3f8ed21496ed6fdbcfd43a761e94245"),
    ])
    func knownVectors(_ input: String, _ digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAs() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let text = String(repeating: "pipec plan ", count: 37)
        var hasher = SHA256()
        var rest = Substring(text)
        while !rest.isEmpty {
            hasher.update(String(rest.prefix(13)))
            rest = rest.dropFirst(13)
        }
        #expect(hasher.hexDigest() == SHA256.hex(text))
        // finalize() leaves the hasher usable.
        #expect(hasher.hexDigest() == SHA256.hex(text))
        #expect(hasher.finalize().count == 32)
    }

    /// The digests agree with coreutils' `sha256sum`, an implementation independent of the one pipec links, over
    /// sizes around the block and padding boundaries and a multi-megabyte input.
    @Test func matchesSha256sum() throws {
        var generator = SystemRandomNumberGenerator()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipec-sha-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for size in [0, 1, 55, 56, 63, 64, 65, 1000, 3 * 1024 * 1024 + 7] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let file = folder.appendingPathComponent("\(size)")
            try Data(bytes).write(to: file)
            let out = try ProcessRunner.run("/usr/bin/sha256sum", [file.path])
            try #require(out.status == 0)
            var hasher = SHA256()
            hasher.update(bytes)
            #expect(hasher.hexDigest() == String(out.stdout.prefix(64)), "size \(size)")
        }
    }

    /// RFC 4231 test cases 1 and 6 (a key longer than the block).
    @Test func hmacVectors() {
        let key1 = [UInt8](repeating: 0x0b, count: 20)
        #expect(Hex.lowercase(HMACSHA256.authenticate(Array("Hi There".utf8), key: key1))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let key6 = [UInt8](repeating: 0xaa, count: 131)
        #expect(Hex.lowercase(HMACSHA256.authenticate(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8), key: key6))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}
