import Testing
@testable import AnnealText

/// E-mails, phones and IPs become placeholders; look-alikes stay.
struct PIIScrubberTests {
    let scrubber = PIIScrubber()

    @Test func replacesAndCounts() {
        let (out, n) = scrubber.scrub("Mail jane.doe+x@mail.example.org or call +1 (555) 123-4567, server 192.168.0.10 or 2001:db8::1.")
        #expect(out == "Mail <EMAIL> or call <PHONE>, server <IP_ADDRESS> or <IP_ADDRESS>.")
        #expect(n.emails == 1 && n.phones == 1 && n.ipAddresses == 2)
        #expect(scrubber.scrub("tel 020 7946 0958 12").0 == "tel <PHONE>")
    }

    @Test func leavesLookAlikes() {
        for text in ["version 1.2.3.4.5", "at 12:30:45 on 2024-01-01 10:00", "user@localhost", "ratio 3.14",
                     "id 1234567890", "call 555-1234", "a::b", "999.1.1.1"] {
            #expect(scrubber.scrub(text).0 == text, "\(text)")
        }
    }

    @Test func switchesAreHonoured() {
        let onlyMail = PIIScrubber(config: PIIConfig(enabled: true, emails: true, phones: false, ipAddresses: false))
        #expect(onlyMail.scrub("a@b.com 10.0.0.1").0 == "<EMAIL> 10.0.0.1")
        #expect(PIIScrubber(config: PIIConfig()).scrub("a@b.com").0 == "a@b.com")
    }
}
