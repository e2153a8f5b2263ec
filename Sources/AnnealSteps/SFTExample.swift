/// One supervised example as token ids, with the positions the loss counts:
/// `trained[i]` says whether predicting `tokens[i]` from what precedes it is scored.
struct SFTExample {
    var tokens: [Int32]
    var trained: [Bool]

    /// Scored targets: predictions of a trained token other than the first.
    var targetCount: Int { trained.dropFirst().filter { $0 }.count }

    /// Input ids and next-token targets (-1 where not scored), padded to `length`.
    func row(length: Int) -> (tokens: [Int32], targets: [Int32]) {
        var input = [Int32](repeating: 0, count: length), targets = [Int32](repeating: -1, count: length)
        for t in 0..<min(length, tokens.count - 1) {
            input[t] = tokens[t]
            if trained[t + 1] { targets[t] = tokens[t + 1] }
        }
        return (input, targets)
    }
}
