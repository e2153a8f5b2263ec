/// The `collect` step's `pii:` settings: personal data replaced by placeholders
/// before filtering and deduplication. Off unless `enabled`.
public struct PIIConfig: Equatable, Sendable {
    /// `enabled`: scrub at all. Default false.
    public var enabled: Bool
    /// `emails`: `name@example.org` -> `<EMAIL>`. Default true (when enabled).
    public var emails: Bool
    /// `phones`: numbers of 10 to 15 digits written with `+`, spaces, dashes, dots or
    /// parentheses (`+1 (555) 123-4567`) -> `<PHONE>`. Default true.
    public var phones: Bool
    /// `ip_addresses`: IPv4 (`192.168.0.1`) and IPv6 (`2001:db8::1`) -> `<IP_ADDRESS>`. Default true.
    public var ipAddresses: Bool

    public init(enabled: Bool = false, emails: Bool = true, phones: Bool = true, ipAddresses: Bool = true) {
        self.enabled = enabled
        self.emails = emails
        self.phones = phones
        self.ipAddresses = ipAddresses
    }
}
