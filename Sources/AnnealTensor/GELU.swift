/// GELU in the tanh form used by GPT-2:
/// gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
public enum GELU {
    static let k: Float = 0.797_884_56  // sqrt(2/pi)

    /// out[i] = gelu(inp[i]) for `count` elements. When `tanhOut` is given it
    /// receives tanh(k (x + 0.044715 x^3)) so backward need not recompute it.
    public static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                               tanhOut: UnsafeMutablePointer<Float>? = nil, count: Int) {
        ComputeThreads.forEachChunk(rows: count, minimumRowsPerChunk: 16_384) { range in
            if let tanhOut {
                for i in range {
                    let x = inp[i]
                    let t = VectorMath.tanh(k * (x + 0.044715 * x * x * x))
                    tanhOut[i] = t
                    out[i] = 0.5 * x * (1 + t)
                }
            } else {
                for i in range {
                    let x = inp[i]
                    out[i] = 0.5 * x * (1 + VectorMath.tanh(k * (x + 0.044715 * x * x * x)))
                }
            }
        }
    }

    /// grad[i] *= gelu'(inp[i]): turns d(output) into d(input) in place.
    public static func backward(grad: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
        ComputeThreads.forEachChunk(rows: count, minimumRowsPerChunk: 16_384) { range in
            for i in range {
                let x = inp[i]
                let t = VectorMath.tanh(k * (x + 0.044715 * x * x * x))
                grad[i] *= 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x)
            }
        }
    }

    /// `backward` with the tanh values saved by `forward(tanhOut:)`.
    public static func backward(grad: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                                tanh: UnsafePointer<Float>, count: Int) {
        ComputeThreads.forEachChunk(rows: count, minimumRowsPerChunk: 16_384) { range in
            for i in range {
                let x = inp[i], t = tanh[i]
                grad[i] *= 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x)
            }
        }
    }
}
