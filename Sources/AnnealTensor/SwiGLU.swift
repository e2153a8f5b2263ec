/// The gated MLP activation of Llama and Qwen2: out = silu(gate) * up, with
/// silu(x) = x * sigmoid(x); gate, up and out are [count] (e.g. [rows, I]).
public enum SwiGLU {
    /// out[i] = silu(gate[i]) * up[i].
    public static func forward(out: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>,
                               up: UnsafePointer<Float>, count: Int) {
        ComputeThreads.forEachChunk(rows: count, minimumRowsPerChunk: 16_384) { range in
            for i in range {
                let x = gate[i]
                out[i] = x / (1 + VectorMath.exp(-x)) * up[i]
            }
        }
    }

    /// From dout: dgate = dout * up * silu'(gate), dup = dout * silu(gate), with
    /// silu'(x) = sigmoid(x) * (1 + x * (1 - sigmoid(x))). dgate and dup are overwritten.
    public static func backward(dgate: UnsafeMutablePointer<Float>, dup: UnsafeMutablePointer<Float>,
                                dout: UnsafePointer<Float>, gate: UnsafePointer<Float>,
                                up: UnsafePointer<Float>, count: Int) {
        ComputeThreads.forEachChunk(rows: count, minimumRowsPerChunk: 16_384) { range in
            for i in range {
                let x = gate[i], g = dout[i]
                let sigmoid = 1 / (1 + VectorMath.exp(-x))
                dup[i] = g * x * sigmoid
                dgate[i] = g * up[i] * sigmoid * (1 + x * (1 - sigmoid))
            }
        }
    }
}
