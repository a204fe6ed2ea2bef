import Foundation
import Kubernetes
import Testing

/// `eventTime` text: RFC 3339, UTC, six fractional digits.
@Suite struct MicroTimeTests {
    @Test func formats_UTCWithMicroseconds() {
        #expect(MicroTime(microsecondsSince1970: 1_714_566_600_123_456).description == "2024-05-01T12:30:00.123456Z")
        #expect(MicroTime(microsecondsSince1970: 0).description == "1970-01-01T00:00:00.000000Z")
        #expect(MicroTime(microsecondsSince1970: 951_782_400_000_001).description == "2000-02-29T00:00:00.000001Z")
    }

    @Test func formats_timesBefore1970() {
        #expect(MicroTime(microsecondsSince1970: -1).description == "1969-12-31T23:59:59.999999Z")
    }

    @Test func formats_wholeSecondsAndMilliseconds_truncating() {
        let time = MicroTime(microsecondsSince1970: 1_714_566_600_999_999)
        #expect(time.rfc3339(fractionDigits: 0) == "2024-05-01T12:30:00Z")
        #expect(time.rfc3339(fractionDigits: 3) == "2024-05-01T12:30:00.999Z")
        #expect(MicroTime(microsecondsSince1970: -1).rfc3339(fractionDigits: 0) == "1969-12-31T23:59:59Z")
    }

    @Test func fromDate_keepsMicroseconds() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)

        #expect(MicroTime(date).description == "2023-11-14T22:13:20.250000Z")
    }

    @Test func parses_whatItFormats_andOtherRFC3339Forms() {
        #expect(
            MicroTime.parse("2024-05-01T12:30:00.123456Z") == MicroTime(microsecondsSince1970: 1_714_566_600_123_456))
        #expect(MicroTime.parse("2024-05-01T12:30:00Z") == MicroTime(microsecondsSince1970: 1_714_566_600_000_000))
        #expect(
            MicroTime.parse("2024-05-01T14:30:00.5+02:00") == MicroTime(microsecondsSince1970: 1_714_566_600_500_000))
        #expect(MicroTime.parse("2024-05-01 12:30:00Z") == nil)
        #expect(MicroTime.parse("yesterday") == nil)
    }

    @Test func codable_asAString() throws {
        let time = MicroTime(microsecondsSince1970: 1_714_566_600_123_456)

        let json = try JSONEncoder().encode([time])
        let decoded = try JSONDecoder().decode([MicroTime].self, from: json)

        #expect(String(decoding: json, as: UTF8.self) == #"["2024-05-01T12:30:00.123456Z"]"#)
        #expect(decoded == [time])
    }
}
