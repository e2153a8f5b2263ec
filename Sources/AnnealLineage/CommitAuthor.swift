/// Who made a commit and when: the git signature of a run.
///
/// The time is passed in, never read from the clock here, so that a run recorded
/// twice with the same inputs gives the same commit id (and tests are deterministic).
public struct CommitAuthor: Hashable, Sendable, Codable {
    /// The person's name, as git shows it (must not contain `<` or `>`).
    public var name: String
    /// The person's email address (must not contain `<` or `>`).
    public var email: String
    /// Seconds since 1970-01-01 UTC.
    public var time: Int64
    /// The time zone's offset from UTC in minutes (for example +60 for CET, -300 for EST).
    public var offsetMinutes: Int32

    /// Makes a signature; `offsetMinutes` is the local time zone's offset from UTC.
    public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }
}
