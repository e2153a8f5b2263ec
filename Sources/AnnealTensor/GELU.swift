/// GELU in the tanh form used by GPT-2:
/// gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
public enum GELU {
    static let k: Float = 0.797_884_56  // sqrt(2/pi)

    /// out[i] = gelu(inp[i]) for `count` elements.
    public static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
        ComputeThreads.forEachChunk(rows: count / 16, minimumRowsPerChunk: 1024) { range in
            for v in range {
                let x = VectorMath.load(inp + v * 16)
                let t = VectorMath.tanh(k * (x + 0.044715 * x * x * x))
                VectorMath.store(0.5 * x * (1 + t), out + v * 16)
            }
        }
        for i in (count / 16 * 16)..<count {
            let x = inp[i]
            let t = VectorMath.tanh(VectorMath.Lanes(repeating: k * (x + 0.044715 * x * x * x)))[0]
            out[i] = 0.5 * x * (1 + t)
        }
    }

    /// dinp[i] = gelu'(inp[i]) * dout[i] (overwrites dinp; dinp may equal dout).
    public static func backward(dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                                dout: UnsafePointer<Float>, count: Int) {
        @inline(__always) func derivative(_ x: VectorMath.Lanes) -> VectorMath.Lanes {
            let u = k * (x + 0.044715 * x * x * x)
            let t = VectorMath.tanh(u)
            let sech2 = 1 - t * t
            return 0.5 * (1 + t) + 0.5 * x * sech2 * k * (1 + 3 * 0.044715 * x * x)
        }
        ComputeThreads.forEachChunk(rows: count / 16, minimumRowsPerChunk: 1024) { range in
            for v in range {
                let g = derivative(VectorMath.load(inp + v * 16)) * VectorMath.load(dout + v * 16)
                VectorMath.store(g, dinp + v * 16)
            }
        }
        for i in (count / 16 * 16)..<count {
            dinp[i] = derivative(VectorMath.Lanes(repeating: inp[i]))[0] * dout[i]
        }
    }
}
