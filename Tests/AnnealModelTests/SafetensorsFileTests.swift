import Foundation
import Testing
import AnnealTensor
@testable import AnnealModel

/// The writer follows the format byte for byte; the reader round-trips it,
/// converts F16/BF16, and refuses every damaged or hostile file with an error.
struct SafetensorsFileTests {
    /// A valid file with two tensors, as bytes.
    func sampleBytes() throws -> [UInt8] {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let a: [Float] = [1, -2, 3.5, 0, 1e-3, 7], b: [Float] = [42]
        let path = dir.path + "/x.safetensors"
        try a.withUnsafeBufferPointer { pa in
            try b.withUnsafeBufferPointer { pb in
                try SafetensorsFile.write([("a", [2, 3], pa), ("b\"q", [1], pb)], metadata: ["k": "v"], to: path)
            }
        }
        return [UInt8](FileManager.default.contents(atPath: path)!)
    }

    /// A file from a header string and a data buffer.
    func file(header: String, data: [UInt8]) -> [UInt8] {
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(32) }
        var out: [UInt8] = (0..<8).map { UInt8((UInt64(h.count) >> (8 * UInt64($0))) & 0xFF) }
        return out + h + data
    }

    @Test func writesTheExactFormatAndReadsItBack() throws {
        let bytes = try sampleBytes()
        let n = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        #expect(n % 8 == 0)
        #expect(bytes.count == 8 + n + 7 * 4)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        #expect(header.hasPrefix("{\"__metadata__\":{"))
        #expect(header.contains("\"format\":\"pt\""))
        let f = try SafetensorsFile(bytes: bytes, path: "x")
        #expect(f.metadata == ["format": "pt", "k": "v"])
        #expect(try f.floats("a") == [1, -2, 3.5, 0, 1e-3, 7])
        #expect(try f.floats("b\"q") == [42])
        #expect(f.info("a")?.shape == [2, 3])
        #expect(throws: ModelError.self) { try f.floats("missing") }
    }

    @Test func convertsHalfAndBFloat16() throws {
        // F16 1.0 = 0x3C00, -2.0 = 0xC000; BF16 1.0 = 0x3F80, 0.5 = 0x3F00.
        let bytes = file(header: #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}"#,
                         data: [0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F, 0x00, 0x3F])
        let f = try SafetensorsFile(bytes: bytes, path: "x")
        #expect(try f.floats("h") == [1, -2])
        #expect(try f.floats("b") == [1, 0.5])
    }

    @Test func refusesEveryTruncation() throws {
        let bytes = try sampleBytes()
        for length in 0..<bytes.count {
            #expect(throws: ModelError.self) { try SafetensorsFile(bytes: Array(bytes[0..<length]), path: "t") }
        }
    }

    @Test(arguments: [
        ("header length beyond the file", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 0),
        ("not JSON", #"{"a": nope}"#, 4),
        ("unknown dtype", #"{"a":{"dtype":"F8","shape":[1],"data_offsets":[0,4]}}"#, 4),
        ("size does not match shape", #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, 4),
        ("offsets out of bounds", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 4),
        ("reversed offsets", #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, 4),
        ("overlap", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 4),
        ("gap", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8),
        ("trailing bytes", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 8),
        ("negative shape", #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4),
        ("fractional shape", #"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, 4),
        ("boolean shape", #"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, 4),
        ("huge shape", #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, 4),
        ("missing offsets", #"{"a":{"dtype":"F32","shape":[1]}}"#, 4),
        ("array header", #"[1,2,3]"#, 0),
        ("metadata not strings", #"{"__metadata__":{"a":1}}"#, 0),
        ("deep nesting", String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), 0),
    ])
    func refusesDamagedHeaders(_ why: String, header: String, dataBytes: Int) throws {
        var bytes = file(header: header, data: [UInt8](repeating: 0, count: dataBytes))
        if why == "header length beyond the file" { bytes[0] = 0xFF; bytes[1] = 0xFF }
        if why == "deep nesting" { bytes = file(header: "{\"a\":" + header + "}", data: []) }
        #expect(throws: ModelError.self, "\(why)") { try SafetensorsFile(bytes: bytes, path: "bad") }
    }

    /// An offset or size beyond what any file holds is out of range (naming the
    /// tensor), not "not an integer"; a fraction is still "not an integer".
    @Test func hugeOffsetsAndSizesAreOutOfRangeNotNonIntegers() {
        func message(_ header: String) -> String {
            do {
                _ = try SafetensorsFile(bytes: file(header: header, data: [UInt8](repeating: 0, count: 4)), path: "x.safetensors")
                return ""
            } catch { return "\(error)" }
        }
        let offsets = message(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4611686018427387904]}}"#)
        #expect(offsets.contains("tensor 'w' data_offsets [0, 4611686018427387904] are out of range: the data buffer holds 4 bytes"), "\(offsets)")
        let beyondInt64 = message(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,1e30]}}"#)
        #expect(beyondInt64.contains("tensor 'w' data_offsets") && beyondInt64.contains("out of range"), "\(beyondInt64)")
        let shape = message(#"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#)
        #expect(shape.contains("tensor 'w' shape") && shape.contains("out of range"), "\(shape)")
        let fraction = message(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}"#)
        #expect(fraction.contains("tensor 'w' needs data_offsets [begin, end] of integers"), "\(fraction)")
    }

    @Test func refusesAHeaderLengthAboveTheLimit() {
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes[7] = 0x7F
        #expect(throws: ModelError.self) { try SafetensorsFile(bytes: bytes, path: "big") }
    }

    @Test func survivesSeededMutations() throws {
        let original = try sampleBytes()
        var g = SeededGenerator(seed: 5)
        var accepted = 0
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<(1 + Int(g.next() % 4)) {
                let i = Int(g.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: g.next())
            }
            if let f = try? SafetensorsFile(bytes: bytes, path: "m") {
                accepted += 1
                for t in f.tensors where t.dtype == .F32 || t.dtype == .F16 || t.dtype == .BF16 || t.dtype == .F64 {
                    _ = try f.floats(t.name)
                }
            }
        }
        // Mutations inside the tensor data leave a valid file; most others do not.
        #expect(accepted > 0 && accepted < 2000)
    }
}
