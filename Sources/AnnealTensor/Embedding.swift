/// Token plus learned position embedding: out[b, t] = wte[tokens[b, t]] + wpe[t],
/// or wpe[positions[b, t]] when packed rows restart their positions.
public enum Embedding {
    /// tokens (and positions, when given) are [B, T] flattened; out is [B, T, C].
    public static func forward(out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>,
                               positions: UnsafePointer<Int32>? = nil,
                               wte: UnsafePointer<Float>, wpe: UnsafePointer<Float>,
                               batch b: Int, length t: Int, channels c: Int) {
        ComputeThreads.forEachChunk(rows: b * t, minimumRowsPerChunk: 64) { range in
            for r in range {
                let position = positions.map { Int($0[r]) } ?? r % t
                let tok = wte + Int(tokens[r]) * c, pos = wpe + position * c, o = out + r * c
                for i in 0..<c { o[i] = tok[i] + pos[i] }
            }
        }
    }

    /// dwte[tokens[r]] += dout[r], dwpe[position of r] += dout[r]. Threads own fixed
    /// column ranges and visit rows in order, so repeated tokens add up in the
    /// same order every time. Either gradient may be nil (frozen).
    public static func backward(dwte: UnsafeMutablePointer<Float>?, dwpe: UnsafeMutablePointer<Float>?,
                                dout: UnsafePointer<Float>, tokens: UnsafePointer<Int32>,
                                positions: UnsafePointer<Int32>? = nil, batch b: Int, length t: Int, channels c: Int) {
        ComputeThreads.forEachChunk(rows: c, minimumRowsPerChunk: 16) { columns in
            for r in 0..<(b * t) {
                let g = dout + r * c
                if let dwte {
                    let row = dwte + Int(tokens[r]) * c
                    for i in columns { row[i] += g[i] }
                }
                if let dwpe {
                    let row = dwpe + (positions.map { Int($0[r]) } ?? r % t) * c
                    for i in columns { row[i] += g[i] }
                }
            }
        }
    }
}
