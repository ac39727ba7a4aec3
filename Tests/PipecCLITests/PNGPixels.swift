import Foundation
import PipecIO

/// The pixels of a PNG screenshot, decoded just enough to assert on them: 8-bit RGB or RGBA, not interlaced (what
/// Chromium writes). IDAT is inflated through PipecIO's zlib wrapper, the filters undone by hand.
struct PNGPixels {
    var width: Int
    var height: Int
    /// RGB triples, row by row.
    var rgb: [UInt8]

    struct Unsupported: Error, CustomStringConvertible { var description: String }

    init(_ data: [UInt8]) throws {
        guard data.count > 8, Array(data[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Unsupported(description: "not a PNG") }
        func be32(_ at: Int) -> Int { Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3]) }
        var at = 8
        var (width, height, colorType, bitDepth, interlace) = (0, 0, 0, 0, 0)
        var compressed: [UInt8] = []
        while at + 8 <= data.count {
            let length = be32(at)
            let type = String(decoding: data[(at + 4)..<(at + 8)], as: UTF8.self)
            let body = Array(data[(at + 8)..<(at + 8 + length)])
            if type == "IHDR" {
                width = Int(body[0]) << 24 | Int(body[1]) << 16 | Int(body[2]) << 8 | Int(body[3])
                height = Int(body[4]) << 24 | Int(body[5]) << 16 | Int(body[6]) << 8 | Int(body[7])
                (bitDepth, colorType, interlace) = (Int(body[8]), Int(body[9]), Int(body[12]))
            } else if type == "IDAT" {
                compressed += body
            } else if type == "IEND" {
                break
            }
            at += 12 + length
        }
        guard bitDepth == 8, colorType == 2 || colorType == 6, interlace == 0 else {
            throw Unsupported(description: "PNG with bit depth \(bitDepth), colour type \(colorType), interlace \(interlace)")
        }
        let channels = colorType == 6 ? 4 : 3
        let inflater = try GunzipSource(MemorySource(compressed))
        var raw: [UInt8] = []
        while true {
            let chunk = try inflater.read(maxCount: 1 << 20)
            if chunk.isEmpty { break }
            raw += chunk
        }
        let stride = width * channels
        guard raw.count >= height * (stride + 1) else { throw Unsupported(description: "short image data") }
        var previous = [UInt8](repeating: 0, count: stride)
        var rgb: [UInt8] = []
        rgb.reserveCapacity(width * height * 3)
        for y in 0..<height {
            let start = y * (stride + 1)
            let filter = raw[start]
            var line = Array(raw[(start + 1)...(start + stride)])
            for x in 0..<stride {
                let a = x >= channels ? Int(line[x - channels]) : 0
                let b = Int(previous[x])
                let c = x >= channels ? Int(previous[x - channels]) : 0
                let add: Int
                switch filter {
                case 0: add = 0
                case 1: add = a
                case 2: add = b
                case 3: add = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw Unsupported(description: "PNG filter \(filter)")
                }
                line[x] = UInt8((Int(line[x]) + add) & 0xFF)
            }
            for x in 0..<width { rgb += line[(x * channels)..<(x * channels + 3)] }
            previous = line
        }
        (self.width, self.height, self.rgb) = (width, height, rgb)
        _ = inflater
    }

    /// How many pixels are within `tolerance` (per channel) of the colour.
    func count(near color: (UInt8, UInt8, UInt8), tolerance: Int = 6) -> Int {
        var n = 0
        var i = 0
        while i + 2 < rgb.count {
            if abs(Int(rgb[i]) - Int(color.0)) <= tolerance && abs(Int(rgb[i + 1]) - Int(color.1)) <= tolerance
                && abs(Int(rgb[i + 2]) - Int(color.2)) <= tolerance { n += 1 }
            i += 3
        }
        return n
    }

    /// The number of distinct colours (a blank page has one or two).
    var distinctColours: Int {
        var seen = Set<UInt32>()
        var i = 0
        while i + 2 < rgb.count {
            seen.insert(UInt32(rgb[i]) << 16 | UInt32(rgb[i + 1]) << 8 | UInt32(rgb[i + 2]))
            i += 3
        }
        return seen.count
    }
}
