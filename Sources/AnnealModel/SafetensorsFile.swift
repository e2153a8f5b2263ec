import AnnealFiles
import Foundation

/// A safetensors file: an 8-byte little-endian header length, a JSON header
/// (padded with spaces to a multiple of 8) naming each tensor's dtype, shape and
/// byte range, then the tensor bytes tiling the data buffer.
///
/// The reader validates everything before touching tensor bytes (header
/// size limit and nesting depth, dtypes, shapes, offsets in bounds, sizes
/// matching dtype and shape, no overlaps or holes), so a truncated or hostile
/// file gives a `ModelError` naming the problem rather than a crash.
public struct SafetensorsFile {
    /// Element types the format names; the float ones convert to Float32.
    public enum DType: String, Sendable {
        case F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL
        /// Bytes per element.
        public var size: Int {
            switch self {
            case .F64, .I64: return 8
            case .F32, .I32: return 4
            case .F16, .BF16, .I16: return 2
            case .I8, .U8, .BOOL: return 1
            }
        }
    }

    /// One tensor's header entry; `byteRange` is relative to the data buffer.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        public let byteRange: Range<Int>
    }

    /// The largest header accepted (as the reference implementation: 100 MB).
    public static let maximumHeaderBytes = 100_000_000
    /// The deepest JSON nesting accepted (a valid header needs 3).
    static let maximumNesting = 8

    public let path: String
    /// The `__metadata__` strings.
    public let metadata: [String: String]
    /// The tensors in file order (by offset).
    public let tensors: [TensorInfo]
    private let byName: [String: Int]
    private let bytes: [UInt8]
    private let dataStart: Int

    /// Reads and validates the file at `path`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.io(path: path, reason: "cannot read the file; check that it exists and is readable")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    /// Validates `bytes` as a safetensors file (`path` is used in messages).
    public init(bytes: [UInt8], path: String) throws {
        func fail(_ reason: String) -> ModelError { .safetensors(path: path, reason: reason) }
        guard bytes.count >= 8 else { throw fail("the file is \(bytes.count) bytes, shorter than the 8-byte header length") }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(SafetensorsFile.maximumHeaderBytes) else {
            throw fail("header length \(length) exceeds the \(SafetensorsFile.maximumHeaderBytes)-byte limit")
        }
        let headerLength = Int(length)
        guard headerLength >= 2, 8 + headerLength <= bytes.count else {
            throw fail("header length \(headerLength) does not fit in a file of \(bytes.count) bytes (truncated?)")
        }
        let header = bytes[8..<(8 + headerLength)]
        guard header.first == UInt8(ascii: "{") else { throw fail("the header does not start with '{'") }
        try SafetensorsFile.checkNesting(header, fail)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(header), options: [])
        } catch {
            throw fail("the header is not valid JSON (\(error.localizedDescription))")
        }
        guard let entries = object as? [String: Any] else { throw fail("the header is not a JSON object") }
        let dataLength = bytes.count - 8 - headerLength
        var metadata: [String: String] = [:]
        var tensors: [TensorInfo] = []
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail("__metadata__ value for '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any] else { throw fail("entry '\(name)' is not an object") }
            guard let dtypeName = info["dtype"] as? String, let dtype = DType(rawValue: dtypeName) else {
                throw fail("tensor '\(name)' has a missing or unknown dtype \(String(describing: info["dtype"]))")
            }
            guard let shapeValues = info["shape"] as? [Any] else { throw fail("tensor '\(name)' has no shape array") }
            var shape: [Int] = []
            var elements = 1
            for d in shapeValues {
                if SafetensorsFile.isOutOfRangeInteger(d) {
                    throw fail("tensor '\(name)' shape \(shapeValues) is out of range: \(d) is larger than any file")
                }
                guard let n = SafetensorsFile.integer(d), n >= 0 else {
                    throw fail("tensor '\(name)' has a shape entry that is not a non-negative integer")
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: n)
                guard !overflow, product <= dataLength else { throw fail("tensor '\(name)' shape \(shapeValues) is larger than the file") }
                elements = product
                shape.append(n)
            }
            guard let offsets = info["data_offsets"] as? [Any], offsets.count == 2 else {
                throw fail("tensor '\(name)' needs data_offsets [begin, end] of integers")
            }
            if offsets.contains(where: SafetensorsFile.isOutOfRangeInteger) {
                throw fail("tensor '\(name)' data_offsets \(offsets) are out of range: the data buffer holds \(dataLength) bytes")
            }
            guard let begin = SafetensorsFile.integer(offsets[0]), let end = SafetensorsFile.integer(offsets[1]) else {
                throw fail("tensor '\(name)' needs data_offsets [begin, end] of integers")
            }
            guard 0 <= begin, begin <= end, end <= dataLength else {
                throw fail("tensor '\(name)' data_offsets [\(begin), \(end)] are outside the \(dataLength)-byte data buffer")
            }
            guard end - begin == elements * dtype.size else {
                throw fail("tensor '\(name)' spans \(end - begin) bytes but \(dtype.rawValue) \(shape) needs \(elements * dtype.size)")
            }
            tensors.append(TensorInfo(name: name, dtype: dtype, shape: shape, byteRange: begin..<end))
        }
        tensors.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < ($1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name) }
        var cursor = 0
        for t in tensors {
            if t.byteRange.lowerBound < cursor { throw fail("tensor '\(t.name)' overlaps the tensor before it") }
            if t.byteRange.lowerBound > cursor { throw fail("there is a gap in the data buffer before tensor '\(t.name)'") }
            cursor = t.byteRange.upperBound
        }
        guard cursor == dataLength else {
            throw fail("the tensors cover \(cursor) of \(dataLength) data bytes; the file has trailing or missing data")
        }
        self.path = path
        self.metadata = metadata
        self.tensors = tensors
        self.byName = Dictionary(tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.bytes = bytes
        self.dataStart = 8 + headerLength
    }

    /// The header entry for `name`, if present.
    public func info(_ name: String) -> TensorInfo? { byName[name].map { tensors[$0] } }

    /// The tensor called `name` converted to Float32 (from F32, F16, BF16 or F64).
    public func floats(_ name: String) throws -> [Float] {
        guard let t = info(name) else { throw ModelError.missingTensor(path: path, name: name) }
        let count = t.shape.reduce(1, *)
        let start = dataStart + t.byteRange.lowerBound
        return try bytes.withUnsafeBytes { raw -> [Float] in
            let base = raw.baseAddress! + start
            switch t.dtype {
            case .F32:
                return (0..<count).map { Float(bitPattern: base.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian) }
            case .F64:
                return (0..<count).map { Float(Double(bitPattern: base.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self).littleEndian)) }
            case .BF16:
                return (0..<count).map { Float(bitPattern: UInt32(base.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian) << 16) }
            case .F16:
                return (0..<count).map { SafetensorsFile.halfToFloat(base.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian) }
            default:
                throw ModelError.safetensors(path: path, reason: "tensor '\(name)' is \(t.dtype.rawValue), not a float type")
            }
        }
    }

    /// Writes tensors (all F32) with `__metadata__` {"format": "pt", ...} to
    /// `path`, through a temporary file renamed into place.
    public static func write(_ tensors: [(name: String, shape: [Int], values: UnsafeBufferPointer<Float>)],
                             metadata: [String: String] = [:], to path: String) throws {
        var meta = metadata
        meta["format"] = meta["format"] ?? "pt"
        var header = "{\"__metadata__\":{"
        header += meta.keys.sorted().map { "\(jsonString($0)):\(jsonString(meta[$0]!))" }.joined(separator: ",")
        header += "}"
        var offset = 0
        for t in tensors {
            precondition(t.shape.reduce(1, *) == t.values.count, "safetensors: \(t.name) shape \(t.shape) vs \(t.values.count) values")
            let size = t.values.count * 4
            header += ",\(jsonString(t.name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + size)]}"
            offset += size
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
        var out = [UInt8]()
        out.reserveCapacity(8 + headerBytes.count + offset)
        let n = UInt64(headerBytes.count)
        for i in 0..<8 { out.append(UInt8((n >> (8 * UInt64(i))) & 0xFF)) }
        out += headerBytes
        for t in tensors {
            for v in t.values {
                let bits = v.bitPattern.littleEndian
                out.append(UInt8(bits & 0xFF)); out.append(UInt8((bits >> 8) & 0xFF))
                out.append(UInt8((bits >> 16) & 0xFF)); out.append(UInt8(bits >> 24))
            }
        }
        try AtomicFile.write(out, to: path)
    }

    static func integer(_ value: Any) -> Int? {
        if let n = value as? NSNumber {
            // Reject booleans and non-integral numbers.
            let kind = String(cString: n.objCType)
            if kind == "c" || kind == "B" { return nil }
            let d = n.doubleValue
            guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
            return n.intValue
        }
        return nil
    }

    /// Whether `value` is a whole number too large for `integer` to take
    /// exactly (at least 9e15 in magnitude): an out-of-range size or offset,
    /// as opposed to a value that is not an integer at all.
    static func isOutOfRangeInteger(_ value: Any) -> Bool {
        guard let n = value as? NSNumber, integer(n) == nil else { return false }
        let kind = String(cString: n.objCType)
        if kind == "c" || kind == "B" { return false }
        let d = n.doubleValue
        return d.rounded() == d && abs(d) >= 9.0e15
    }

    /// Rejects headers nested deeper than `maximumNesting` before the JSON parser sees them.
    static func checkNesting(_ header: ArraySlice<UInt8>, _ fail: (String) -> ModelError) throws {
        var depth = 0, inString = false, escaped = false
        for byte in header {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maximumNesting { throw fail("the header nests deeper than \(maximumNesting) levels") }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F), mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let value = Float(mantissa) * Float(sign != 0 ? -1 : 1) / 16_777_216.0  // 2^-24 * m
            return value
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }
}
