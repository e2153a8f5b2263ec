/// A test precondition that did not hold (a tool that failed), with what happened.
struct LineageTestsFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
