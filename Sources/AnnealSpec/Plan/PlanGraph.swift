/// Ordering a plan's steps, and finding the cycle when there is none.
enum PlanGraph {
    /// Kahn's algorithm, always taking the ready step declared first, so the
    /// order is the same on every run. A cycle comes back as its diagnostic.
    static func order(_ steps: [PlannedStep], declarationOrder: [String: Int]) -> Result<[PlannedStep], Diagnostic> {
        let n = steps.count
        var indexOf: [String: Int] = [:]
        for (i, s) in steps.enumerated() { indexOf[s.name] = i }
        var dependents = [[Int]](repeating: [], count: n)
        var remaining = [Int](repeating: 0, count: n)
        for (i, s) in steps.enumerated() {
            for d in s.dependencies {
                guard let j = indexOf[d] else { continue }
                dependents[j].append(i)
                remaining[i] += 1
            }
        }
        var ready = MinHeap()
        for i in 0..<n where remaining[i] == 0 { ready.push(i) }
        var order: [PlannedStep] = []
        order.reserveCapacity(n)
        while let i = ready.pop() {
            order.append(steps[i])
            for j in dependents[i] {
                remaining[j] -= 1
                if remaining[j] == 0 { ready.push(j) }
            }
        }
        if order.count == n { return .success(order) }
        return .failure(cycleDiagnostic(steps, remaining: remaining, indexOf: indexOf))
    }

    /// Follows unfinished dependencies until a step repeats: that loop is a cycle.
    static func cycleDiagnostic(_ steps: [PlannedStep], remaining: [Int], indexOf: [String: Int]) -> Diagnostic {
        var start = remaining.firstIndex { $0 > 0 }!
        var path: [Int] = []
        var position: [Int: Int] = [:]
        while position[start] == nil {
            position[start] = path.count
            path.append(start)
            start = steps[start].dependencies.compactMap { indexOf[$0] }.first { remaining[$0] > 0 }!
        }
        // path[position[start]...] is the cycle, each step depending on the next;
        // print it in the direction data flows.
        var cycle = Array(path[position[start]!...].reversed())
        // Start at the step declared first, so the message reads like the file.
        let first = cycle.firstIndex(of: cycle.min()!)!
        cycle = Array(cycle[first...] + cycle[..<first])
        let loop = cycle.map { steps[$0] }
        let names = loop.map(\.name) + [loop[0].name]
        let places = loop.map { "'\($0.name)' at \($0.location)" }.joined(separator: ", ")
        return .error(loop[0].location, "the steps form a cycle: \(names.joined(separator: " -> "))",
                      hint: "each step feeds the next (\(places)); remove one of these references or 'needs'")
    }
}

/// A binary min-heap of step indices.
struct MinHeap {
    private var items: [Int] = []

    mutating func push(_ x: Int) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p] <= items[i] { break }
            items.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> Int? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l] < items[m] { m = l }
                if r < items.count, items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
