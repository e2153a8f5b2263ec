import AnnealModel
import Testing

/// Gradients handed to the GPT checked against the loss they claim to differentiate.
enum FiniteDifferenceCheck {
    /// Compares the three largest analytic gradients of each named tensor
    /// with central finite differences (step 1e-2) of `loss`, within 5 % + 2e-3;
    /// returns how many were compared.
    static func largestGradients(_ model: GPT, tensors: [String], analytic: [Float], loss: () throws -> Double) throws -> Int {
        var checked = 0
        for name in tensors {
            let entry = try #require(model.parameters.entry(name))
            let order = (0..<entry.count).sorted { abs(analytic[entry.offset + $0]) > abs(analytic[entry.offset + $1]) }
            for k in order.prefix(3) {
                let i = entry.offset + k
                let saved = model.parameters.values.pointer[i]
                let h: Float = 1e-2
                model.parameters.values.pointer[i] = saved + h
                let up = try loss()
                model.parameters.values.pointer[i] = saved - h
                let down = try loss()
                model.parameters.values.pointer[i] = saved
                let numeric = (up - down) / Double(2 * h), a = Double(analytic[i])
                #expect(abs(numeric - a) <= 0.05 * abs(a) + 2e-3, "\(name)[\(k)]: analytic \(a), finite difference \(numeric)")
                checked += 1
            }
        }
        return checked
    }
}
