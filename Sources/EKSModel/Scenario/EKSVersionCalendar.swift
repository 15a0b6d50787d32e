/// Which support tier the EKS control plane of a Kubernetes version is billed at on a day.
///
/// Source: Amazon EKS User Guide, "Understand the Kubernetes version lifecycle on EKS",
/// Kubernetes release calendar (end of standard and extended support, UTC; billing for extended
/// support starts at the beginning of the end-of-standard-support day). 1.21–1.28 from the same
/// table as published in 2024; 1.35 from endoflife.date/amazon-eks. Extended support has been
/// billed since the April 2024 billing cycle (AWS Containers blog, "Amazon EKS extended support
/// for Kubernetes versions pricing").
public enum EKSVersionCalendar {
    public struct Entry: Sendable, Hashable {
        public let version: String
        public let endOfStandardSupport: CalendarDate
        public let endOfExtendedSupport: CalendarDate
    }

    /// The day extended support started to be billed.
    public static let extendedSupportBillingStart = CalendarDate(year: 2024, month: 4, day: 1)!

    public static let entries: [Entry] = [
        entry("1.21", "2023-02-16", "2024-07-15"),
        entry("1.22", "2023-06-04", "2024-09-01"),
        entry("1.23", "2023-10-11", "2024-10-11"),
        entry("1.24", "2024-01-31", "2025-01-31"),
        entry("1.25", "2024-05-01", "2025-05-01"),
        entry("1.26", "2024-06-11", "2025-06-11"),
        entry("1.27", "2024-07-24", "2025-07-24"),
        entry("1.28", "2024-11-26", "2025-11-26"),
        entry("1.29", "2025-03-23", "2026-03-23"),
        entry("1.30", "2025-07-23", "2026-07-23"),
        entry("1.31", "2025-11-26", "2026-11-26"),
        entry("1.32", "2026-03-23", "2027-03-23"),
        entry("1.33", "2026-07-29", "2027-07-29"),
        entry("1.34", "2026-12-02", "2027-12-02"),
        entry("1.35", "2027-03-27", "2028-03-27"),
    ]

    private static func entry(_ version: String, _ standardEnd: String, _ extendedEnd: String) -> Entry {
        Entry(
            version: version, endOfStandardSupport: CalendarDate(standardEnd)!,
            endOfExtendedSupport: CalendarDate(extendedEnd)!)
    }

    public static func entry(for version: String) -> Entry? {
        entries.first { $0.version == version }
    }

    /// `1.31.3` → `1.31`; `v1.31` → `1.31`; nil when it is not a Kubernetes 1.x version.
    public static func minorVersion(_ text: String) -> String? {
        var text = Substring(text)
        if text.hasPrefix("v") { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "1", let minor = Int(parts[1]), minor >= 0,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return "1.\(minor)"
    }
}

/// The support tier a cluster is billed at, and why.
public struct SupportDecision: Sendable, Hashable {
    public enum Tier: String, Sendable, Hashable {
        case standard, extended
    }

    public let tier: Tier
    /// One sentence for the report.
    public let reason: String
    /// Set when the user should hear about it (version past all support, version unknown).
    public let warning: String?

    /// Decides the tier of `version` (nil when not given) under `policy` on `asOf`.
    public static func decide(version: String?, policy: SupportPolicy, asOf: CalendarDate) -> SupportDecision {
        guard let version else {
            return SupportDecision(
                tier: .standard, reason: "Kubernetes version not given: standard support assumed", warning: nil)
        }
        if asOf < EKSVersionCalendar.extendedSupportBillingStart {
            return SupportDecision(
                tier: .standard,
                reason: "Kubernetes \(version): standard price (extended support was first billed in April 2024)",
                warning: nil)
        }
        guard let minor = EKSVersionCalendar.minorVersion(version) else {
            return SupportDecision(
                tier: .standard, reason: "Kubernetes \(version): standard support assumed",
                warning: "'\(version)' is not a Kubernetes version such as 1.31; standard support assumed")
        }
        guard let entry = EKSVersionCalendar.entry(for: minor) else {
            let newest = EKSVersionCalendar.entries.last!
            let minorNumber = Int(minor.dropFirst(2)) ?? 0
            let newestNumber = Int(newest.version.dropFirst(2)) ?? 0
            if minorNumber > newestNumber {
                return SupportDecision(
                    tier: .standard,
                    reason: "Kubernetes \(minor): newer than \(newest.version), in standard support",
                    warning: nil)
            }
            // Older than the calendar: its extended support ended before July 2024.
            return decidePastExtended(minor: minor, ended: nil, policy: policy)
        }
        if asOf < entry.endOfStandardSupport {
            return SupportDecision(
                tier: .standard,
                reason: "Kubernetes \(minor): standard support until \(entry.endOfStandardSupport)",
                warning: nil)
        }
        if policy == .standard {
            return SupportDecision(
                tier: .standard,
                reason:
                    "Kubernetes \(minor): standard support ended \(entry.endOfStandardSupport); upgrade policy STANDARD, so EKS upgrades the cluster instead of billing extended support",
                warning: nil)
        }
        if asOf < entry.endOfExtendedSupport {
            return SupportDecision(
                tier: .extended,
                reason:
                    "Kubernetes \(minor): extended support (standard support ended \(entry.endOfStandardSupport), extended support ends \(entry.endOfExtendedSupport))",
                warning: nil)
        }
        return decidePastExtended(minor: minor, ended: entry.endOfExtendedSupport, policy: policy)
    }

    static func decidePastExtended(minor: String, ended: CalendarDate?, policy: SupportPolicy) -> SupportDecision {
        let when = ended.map { " on \($0)" } ?? ""
        let warning =
            "Kubernetes \(minor) reached the end of extended support\(when); EKS upgrades such clusters to the oldest version in extended support"
        if policy == .standard {
            return SupportDecision(
                tier: .standard, reason: "Kubernetes \(minor): past end of support; upgrade policy STANDARD",
                warning: warning)
        }
        return SupportDecision(
            tier: .extended,
            reason:
                "Kubernetes \(minor): past end of extended support\(when); priced as the oldest extended-support version it is upgraded to",
            warning: warning)
    }
}
