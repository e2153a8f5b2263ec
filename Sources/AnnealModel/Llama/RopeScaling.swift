import Foundation

/// How rotary position frequencies are stretched for contexts longer than
/// the model was trained on (`rope_scaling` / `rope_parameters` in config.json).
public enum RopeScaling: Codable, Equatable, Hashable, Sendable {
    /// Plain RoPE: inverseFrequency[i] = theta^(-2i / headSize).
    case none
    /// Positions divided by `factor` (every frequency scaled by 1/factor).
    case linear(factor: Double)
    /// Llama 3.1's frequency-dependent scaling: wavelengths beyond
    /// originalContext / lowFrequencyFactor are divided by `factor`, those under
    /// originalContext / highFrequencyFactor are kept, and the band between is
    /// interpolated.
    case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalContext: Int)

    /// The inverse frequencies [headSize / 2] for base `theta`, as `transformers`
    /// computes them (Float32 exponents and powers, then the scaling).
    public func inverseFrequencies(theta: Double, headSize: Int) -> [Float] {
        let plain: [Float] = (0..<(headSize / 2)).map { i in
            let exponent = Float(2 * i) / Float(headSize)
            return 1 / Float(pow(Double(Float(theta)), Double(exponent)))
        }
        switch self {
        case .none:
            return plain
        case .linear(let factor):
            return plain.map { $0 / Float(factor) }
        case .llama3(let factor, let low, let high, let original):
            let lowWavelength = Double(original) / low, highWavelength = Double(original) / high
            return plain.map { f in
                let frequency = Double(f), wavelength = 2 * Double.pi / frequency
                if wavelength < highWavelength { return f }
                if wavelength > lowWavelength { return Float(frequency / factor) }
                let smooth = (Double(original) / wavelength - low) / (high - low)
                return Float((1 - smooth) * frequency / factor + smooth * frequency)
            }
        }
    }

    /// Throws when a factor is not a usable number.
    func validate() throws {
        switch self {
        case .none: return
        case .linear(let factor):
            guard factor.isFinite, factor > 0 else { throw ModelError.invalidConfig("rope_scaling.factor is \(factor); it must be positive") }
        case .llama3(let factor, let low, let high, let original):
            guard factor.isFinite, factor > 0, low > 0, high > low, original > 0 else {
                throw ModelError.invalidConfig("rope_scaling llama3 needs factor > 0, 0 < low_freq_factor < high_freq_factor and original_max_position_embeddings > 0 (got \(factor), \(low), \(high), \(original))")
            }
        }
    }
}
