import AnnealAlignment
import Foundation
import Testing

@Suite struct PreferenceLossTests {
    /// π_c = −10, π_r = −12, ref_c = −11, ref_r = −11.5: x = 1 − (−0.5) = 1.5.
    static let pair = (pc: -10.0, pr: -12.0, rc: -11.0, rr: -11.5)

    func eval(_ loss: PreferenceLoss, pc: Double = pair.pc, pr: Double = pair.pr) -> PreferenceLoss.Result {
        loss.evaluate(policyChosen: pc, policyRejected: pr, referenceChosen: Self.pair.rc, referenceRejected: Self.pair.rr)
    }

    @Test func sigmoidLossMatchesHandComputedValues() {
        // β = 0.1: βx = 0.15; −log σ(0.15) = log(1 + e^−0.15) = 0.620957...
        let r = eval(PreferenceLoss(kind: .sigmoid, beta: 0.1))
        #expect(abs(r.loss - 0.6209577) < 1e-6)
        // ∂L/∂x = −β σ(−βx) = −0.1 · 0.4625702 = −0.04625702
        #expect(abs(r.gradientChosen + 0.04625702) < 1e-7)
        #expect(r.gradientRejected == -r.gradientChosen)
        #expect(abs(r.rewardChosen - 0.1) < 1e-12 && abs(r.rewardRejected + 0.05) < 1e-12)
        #expect(r.accurate && abs(r.margin - 0.15) < 1e-12)
    }

    @Test func labelSmoothingMixesBothDirections() {
        // ε = 0.2: 0.8·0.6209577 + 0.2·log(1 + e^0.15) = 0.8·0.6209577 + 0.2·0.7709577
        let r = eval(PreferenceLoss(kind: .sigmoid, beta: 0.1, labelSmoothing: 0.2))
        #expect(abs(r.loss - (0.8 * 0.6209577 + 0.2 * 0.7709577)) < 1e-6)
    }

    @Test func ipoLossMatchesHandComputedValues() {
        // β = 0.5: target 1/(2β) = 1; (1.5 − 1)² = 0.25; ∂/∂x = 1.0
        let r = eval(PreferenceLoss(kind: .ipo, beta: 0.5))
        #expect(abs(r.loss - 0.25) < 1e-12)
        #expect(abs(r.gradientChosen - 1.0) < 1e-12)
    }

    @Test func hingeLossMatchesHandComputedValues() {
        // β = 0.5: 1 − 0.75 = 0.25, ∂/∂x = −0.5; β = 1: 1 − 1.5 < 0, no loss, no gradient
        let r = eval(PreferenceLoss(kind: .hinge, beta: 0.5))
        #expect(abs(r.loss - 0.25) < 1e-12 && abs(r.gradientChosen + 0.5) < 1e-12)
        let zero = eval(PreferenceLoss(kind: .hinge, beta: 1))
        #expect(zero.loss == 0 && zero.gradientChosen == 0)
    }

    @Test(arguments: PreferenceLoss.Kind.allCases)
    func gradientsMatchFiniteDifferences(_ kind: PreferenceLoss.Kind) {
        let loss = PreferenceLoss(kind: kind, beta: 0.3, labelSmoothing: kind == .sigmoid ? 0.1 : 0)
        let h = 1e-6
        for (pc, pr) in [(-10.0, -12.0), (-12.0, -10.0), (-3.0, -3.5)] {
            let r = eval(loss, pc: pc, pr: pr)
            let dc = (eval(loss, pc: pc + h, pr: pr).loss - eval(loss, pc: pc - h, pr: pr).loss) / (2 * h)
            let dr = (eval(loss, pc: pc, pr: pr + h).loss - eval(loss, pc: pc, pr: pr - h).loss) / (2 * h)
            #expect(abs(r.gradientChosen - dc) < 1e-5, "\(kind) chosen at \(pc),\(pr)")
            #expect(abs(r.gradientRejected - dr) < 1e-5, "\(kind) rejected at \(pc),\(pr)")
        }
    }

    @Test func logSigmoidIsStableForLargeInputs() {
        #expect(LogSigmoid.value(1000) == 0)
        #expect(abs(LogSigmoid.value(-1000) + 1000) < 1e-9)
        #expect(LogSigmoid.sigmoid(-1000) == 0 && LogSigmoid.sigmoid(1000) == 1)
    }

    @Test func bradleyTerryLossAndGradients() {
        // r_c = 1, r_r = 0, no margin: −log σ(1) = 0.3132617; ∂/∂r_c = −σ(−1) = −0.2689414
        let r = BradleyTerryLoss().evaluate(chosen: 1, rejected: 0)
        #expect(abs(r.loss - 0.3132617) < 1e-6)
        #expect(abs(r.gradientChosen + 0.2689414) < 1e-6 && abs(r.gradientRejected - 0.2689414) < 1e-6)
        // A margin of 1 makes the pair a tie: log 2.
        #expect(abs(BradleyTerryLoss().evaluate(chosen: 1, rejected: 0, margin: 1).loss - log(2)) < 1e-12)
        let centred = BradleyTerryLoss(centeringCoefficient: 0.01)
        let h = 1e-6
        let c = centred.evaluate(chosen: 0.7, rejected: -0.2)
        let dc = (centred.evaluate(chosen: 0.7 + h, rejected: -0.2).loss - centred.evaluate(chosen: 0.7 - h, rejected: -0.2).loss) / (2 * h)
        let dr = (centred.evaluate(chosen: 0.7, rejected: -0.2 + h).loss - centred.evaluate(chosen: 0.7, rejected: -0.2 - h).loss) / (2 * h)
        #expect(abs(c.gradientChosen - dc) < 1e-6 && abs(c.gradientRejected - dr) < 1e-6)
    }
}
