/// A binary min-heap: `pop()` returns the smallest element by `<`.
/// (The trainer gets a max-by-count heap by defining `<` as "comes first".)
struct MinHeap<Element: Comparable> {
    private(set) var items: [Element] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func push(_ e: Element) {
        items.append(e)
        var c = items.count - 1
        while c > 0 {
            let parent = (c - 1) / 2
            if !(items[c] < items[parent]) { break }
            items.swapAt(parent, c)
            c = parent
        }
    }

    mutating func pop() -> Element? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return top }
        items[0] = last
        var c = 0
        while true {
            let l = 2 * c + 1, r = l + 1
            var m = c
            if l < items.count && items[l] < items[m] { m = l }
            if r < items.count && items[r] < items[m] { m = r }
            if m == c { break }
            items.swapAt(m, c)
            c = m
        }
        return top
    }
}
