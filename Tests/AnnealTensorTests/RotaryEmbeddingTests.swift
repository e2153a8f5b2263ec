import Foundation
import Testing
@testable import AnnealTensor

/// Rotary embeddings rotate each (i, i + half) pair by position * frequency[i],
/// backward is the transpose (checked by finite differences), and packed
/// positions rotate a token as its own position in a row would.
struct RotaryEmbeddingTests {
    let batch = 2, length = 5, heads = 3, hs = 4
    let frequencies: [Float] = [1, 0.1]

    func rotate(_ x: [Float], positions: [Int32]? = nil, backward: Bool = false) -> [Float] {
        let (cosines, sines) = RotaryEmbedding.tables(inverseFrequencies: frequencies, positions: length)
        var y = x
        y.withUnsafeMutableBufferPointer { yp in
            let call = backward ? RotaryEmbedding.backward : RotaryEmbedding.forward
            if let positions {
                positions.withUnsafeBufferPointer {
                    call(yp.baseAddress!, cosines, sines, $0.baseAddress!, batch, length, heads, hs, heads * hs)
                }
            } else {
                call(yp.baseAddress!, cosines, sines, nil, batch, length, heads, hs, heads * hs)
            }
        }
        return y
    }

    @Test func rotatesPairsByPositionTimesFrequency() {
        let x = GradientCheck.values(batch * length * heads * hs, seed: 1)
        let y = rotate(x)
        let r = 1 * length + 3, head = 2, base = r * heads * hs + head * hs  // row 1, position 3
        for i in 0..<2 {
            let angle = 3 * Double(frequencies[i]), a = Double(x[base + i]), b = Double(x[base + i + 2])
            #expect(abs(Double(y[base + i]) - (a * cos(angle) - b * sin(angle))) < 1e-6)
            #expect(abs(Double(y[base + i + 2]) - (b * cos(angle) + a * sin(angle))) < 1e-6)
        }
        #expect(zip(x[0..<(heads * hs)], y[0..<(heads * hs)]).allSatisfy { $0 == $1 })  // position 0 is the identity
    }

    @Test func backwardMatchesFiniteDifferences() {
        var x = GradientCheck.values(batch * length * heads * hs, seed: 2)
        let proj = GradientCheck.values(x.count, seed: 3)
        let dx = rotate(proj, backward: true)
        #expect(GradientCheck.maxError(&x, analytic: dx) { GradientCheck.project(rotate($0), proj) } < 1e-4)
    }

    @Test func packedPositionsRestartTheRotation() {
        let x = GradientCheck.values(batch * length * heads * hs, seed: 4)
        let packed = rotate(x, positions: [0, 1, 2, 0, 1, 0, 1, 2, 3, 4])
        let plain = rotate(x)
        let row = heads * hs
        // Token 3 of row 0 is position 0 of its sequence: left as it is; token 4 turns like position 1.
        #expect(Array(packed[(3 * row)..<(4 * row)]) == Array(x[(3 * row)..<(4 * row)]))
        var moved = x
        moved.replaceSubrange(row..<(2 * row), with: x[(4 * row)..<(5 * row)])
        #expect(Array(packed[(4 * row)..<(5 * row)]) == Array(rotate(moved)[row..<(2 * row)]))
        #expect(Array(packed[(5 * row)...]) == Array(plain[(5 * row)...]))
    }
}
