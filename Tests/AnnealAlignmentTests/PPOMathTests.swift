import AnnealAlignment
import Foundation
import Testing

@Suite struct PPOMathTests {
    @Test func gaeMatchesAHandWorkedExample() {
        // rewards [0, 0, 1], values [0.5, 0.6, 0.7], γ = 1, λ = 0.95
        // δ2 = 1 + 0 − 0.7 = 0.3;          A2 = 0.3
        // δ1 = 0 + 0.7 − 0.6 = 0.1;        A1 = 0.1 + 0.95·0.3 = 0.385
        // δ0 = 0 + 0.6 − 0.5 = 0.1;        A0 = 0.1 + 0.95·0.385 = 0.46575
        let (a, r) = GeneralizedAdvantage.compute(rewards: [0, 0, 1], values: [0.5, 0.6, 0.7], gamma: 1, lambda: 0.95)
        for (x, y) in zip(a, [0.46575, 0.385, 0.3]) { #expect(abs(x - y) < 1e-12) }
        for (x, y) in zip(r, [0.96575, 0.985, 1.0]) { #expect(abs(x - y) < 1e-12) }
        // γ = 0.9, λ = 1 is discounted return minus value.
        let (a2, _) = GeneralizedAdvantage.compute(rewards: [1, 2], values: [0, 0], gamma: 0.9, lambda: 1)
        #expect(abs(a2[0] - (1 + 0.9 * 2)) < 1e-12 && abs(a2[1] - 2) < 1e-12)
    }

    @Test func whiteningGivesZeroMeanUnitVariance() {
        let w = Whitening.apply([1, 2, 3, 4, 10])
        let mean = w.reduce(0, +) / 5
        let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4
        #expect(abs(mean) < 1e-12 && abs(variance - 1) < 1e-6)
        let kept = Whitening.apply([1, 2, 3], shiftMean: false)
        #expect(abs(kept.reduce(0, +) / 3 - 2) < 1e-12)
    }

    @Test func clippedPolicyLossOnCraftedInputs() {
        let loss = ClippedPolicyLoss(clipRange: 0.2)
        // Ratio 1: no clipping, L = −A, ∂/∂logp = −A.
        let same = loss.evaluate(logProbability: -1, oldLogProbability: -1, advantage: 2)
        #expect(same.loss == -2 && same.gradient == -2 && !same.clipped && same.approximateKL == 0)
        // Positive advantage, ratio e^0.5 ≈ 1.6487 > 1.2: clipped at 1.2, no gradient.
        let up = loss.evaluate(logProbability: -0.5, oldLogProbability: -1, advantage: 2)
        #expect(abs(up.loss + 2.4) < 1e-12 && up.gradient == 0 && up.clipped)
        #expect(abs(up.approximateKL - 0.125) < 1e-12)
        // Negative advantage, ratio 1.6487: the unclipped term is larger (pessimistic), gradient flows.
        let bad = loss.evaluate(logProbability: -0.5, oldLogProbability: -1, advantage: -1)
        #expect(abs(bad.loss - exp(0.5)) < 1e-12 && abs(bad.gradient - exp(0.5)) < 1e-12 && !bad.clipped)
        // Negative advantage, ratio e^−0.5 ≈ 0.6065 < 0.8: clipped at 0.8.
        let down = loss.evaluate(logProbability: -1.5, oldLogProbability: -1, advantage: -1)
        #expect(abs(down.loss - 0.8) < 1e-12 && down.gradient == 0 && down.clipped)
    }

    @Test func clippedPolicyGradientMatchesFiniteDifferences() {
        let loss = ClippedPolicyLoss(clipRange: 0.2)
        let h = 1e-7
        for (lp, old, a) in [(-1.0, -1.1, 1.5), (-1.0, -0.9, -0.7), (-2.0, -2.05, 0.3), (-0.5, -1.0, -1.0)] {
            let g = loss.evaluate(logProbability: lp, oldLogProbability: old, advantage: a).gradient
            let fd = (loss.evaluate(logProbability: lp + h, oldLogProbability: old, advantage: a).loss
                      - loss.evaluate(logProbability: lp - h, oldLogProbability: old, advantage: a).loss) / (2 * h)
            #expect(abs(g - fd) < 1e-5, "\(lp) \(old) \(a)")
        }
    }

    @Test func clippedValueLossOnCraftedInputs() {
        let loss = ClippedValueLoss(clipRange: 0.2)
        // v moved 0.5 away from old (0), target 1: unclipped (0.5−1)² = 0.25, clipped (0.2−1)² = 0.64 → clipped.
        let r = loss.evaluate(value: 0.5, oldValue: 0, target: 1)
        #expect(abs(r.loss - 0.32) < 1e-12 && r.clipped && r.gradient == 0)
        // Inside the range the two agree and the gradient is v − R.
        let inside = loss.evaluate(value: 0.1, oldValue: 0, target: 1)
        #expect(abs(inside.loss - 0.405) < 1e-12 && abs(inside.gradient + 0.9) < 1e-12)
        let h = 1e-7
        for (v, old, t) in [(0.5, 0.0, 1.0), (0.1, 0.0, 1.0), (-0.4, 0.0, -1.0), (0.3, 0.2, -2.0)] {
            let g = loss.evaluate(value: v, oldValue: old, target: t).gradient
            let fd = (loss.evaluate(value: v + h, oldValue: old, target: t).loss - loss.evaluate(value: v - h, oldValue: old, target: t).loss) / (2 * h)
            #expect(abs(g - fd) < 1e-5, "\(v) \(old) \(t)")
        }
    }

    @Test func klEstimators() {
        #expect(KLEstimator.k1.estimate(logProbability: -1, referenceLogProbability: -1.5) == 0.5)
        // k3 with d = 0.5: e^−0.5 − 1 + 0.5 = 0.1065307
        #expect(abs(KLEstimator.k3.estimate(logProbability: -1, referenceLogProbability: -1.5) - 0.1065307) < 1e-6)
        #expect(KLEstimator.k3.estimate(logProbability: -2, referenceLogProbability: -1) >= 0)
    }

    @Test func adaptiveKLMovesTowardTheTarget() {
        var c = AdaptiveKLController(initial: 0.05, target: 6, horizon: 10_000)
        c.update(kl: 12, samples: 1000)  // error clipped to 0.2 → ×1.02
        #expect(abs(c.coefficient - 0.051) < 1e-12)
        c.update(kl: 3, samples: 1000)   // error −0.2 → ×0.98
        #expect(abs(c.coefficient - 0.051 * 0.98) < 1e-12)
    }
}
