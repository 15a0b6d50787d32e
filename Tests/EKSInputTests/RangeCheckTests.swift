import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// Issue 13: every number a reader takes from input is checked where it is read, with a
/// located error naming the allowed range; nothing overflows, hangs or rounds in silence.
@Suite struct RangeCheckTests {
    static func curve(_ text: String) -> (LoadCurve?, [Diagnostic]) {
        LoadCurveReader.read(bytes: Array(text.utf8), file: "curve.csv", name: "c")
    }

    /// A load-curve value of 2^63 or more crashed every command, `validate` included, when the
    /// simulation turned it into an Int64.
    @Test func aLoadCurveValueOf2To63IsALocatedErrorNamingTheRange() throws {
        let (curve, diagnostics) = Self.curve("hour_of_week,cpu\n0,9223372036854775808\n1,5\n")
        #expect(curve == nil)
        let error = try #require(diagnostics.first)
        #expect(error.location == SourceLocation(file: "curve.csv", line: 2))
        #expect(error.message == "'cpu' must be from 0 to 1000000000000, found '9223372036854775808'")
        #expect(Self.curve("hour_of_week,cpu\n0,1000000000000\n").0 != nil)
    }

    /// A huge hour_of_week filled the gap up to it, allocating gigabytes: hours are 0…167, as
    /// docs/capacity-and-cost.md documents (24 rows repeat daily, 168 weekly).
    @Test func anHourOfWeekPastTheWeekIsRefusedWithoutFillingTheGap() throws {
        let (curve, diagnostics) = Self.curve("hour_of_week,cpu\n0,1\n99999999999,1\n")
        #expect(curve == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].message.hasPrefix("hour_of_week must be from 0 to 167, found '99999999999'"))
        #expect(diagnostics[0].location?.line == 3)
        #expect(
            Self.curve("hour_of_week,cpu\n0,1\n168,1\n").1.first?.message.hasPrefix(
                "hour_of_week must be from 0 to 167, found '168'") == true)
    }

    @Test func timestampRowsMoreThanAMonthApartAreRefused() {
        let (_, diagnostics) = Self.curve("timestamp,cpu\n2026-11-01T00:00:00Z,1\n2126-11-01T00:00:00Z,1\n")
        #expect(diagnostics.first?.message.contains("at most 31 days") == true)
    }

    static func scenario(requests: String, extra: String = "") -> [Diagnostic] {
        ScenarioLoader.parse(
            yaml: """
                apiVersion: ekscost/v1
                kind: Scenario
                metadata: {name: s}
                spec:
                  region: us-east-1
                  clusters:
                    - name: c
                      nodeGroups: [{name: g, instanceType: m5.large, desiredSize: 1}]
                      workloads:
                        - name: w
                \(extra)
                          containers:
                            - name: app
                              resources: {requests: \(requests)}
                """, file: "s.yaml"
        ).diagnostics
    }

    /// `memory: 8Ei` wrapped to 0 bytes and "fit" on any node.
    @Test func memoryOf8EiIsRefusedWithItsPlace() throws {
        let diagnostics = Self.scenario(requests: "{cpu: 100m, memory: 8Ei}")
        let error = try #require(diagnostics.errors.first)
        #expect(error.message == "memory in requests of container app must be from 0 to 1Pi, found '8Ei'")
        #expect(error.location?.file == "s.yaml" && error.location?.line == 14)
        #expect(
            Self.scenario(requests: "{cpu: 2000000, memory: 1Gi}").errors.first?.message
                == "cpu in requests of container app must be from 0 to 1000000 (cores), found '2000000'")
        #expect(!Self.scenario(requests: "{cpu: 100m, memory: 1Pi}").hasErrors)
    }

    /// A Job's run duration overflowed Int when hours were turned into seconds.
    @Test func aRunDurationPastAYearIsRefused() throws {
        let diagnostics = Self.scenario(
            requests: "{cpu: 100m}",
            extra: """
                          kind: Job
                          runDuration: 99999999999999999999h
                """)
        let error = try #require(diagnostics.errors.first)
        #expect(error.message.hasPrefix("runDuration of "))
        #expect(
            error.message.hasSuffix(
                "must be a duration from 1s to 8784h (a year), such as 90s, 10m or 1h30m, found '99999999999999999999h'"
            ))
    }

    @Test func loadShapeValuesAreRangeChecked() {
        let (_, diagnostics) = ScenarioLoader.parse(
            yaml: """
                apiVersion: ekscost/v1
                kind: Scenario
                metadata: {name: s}
                spec:
                  region: us-east-1
                  loadCurves:
                    - name: office
                      shape: {base: 1, peak: 1e300}
                  clusters: [{name: c, nodeGroups: [{name: g, instanceType: m5.large, desiredSize: 1}]}]
                """, file: "s.yaml")
        #expect(diagnostics.errors.first?.message.contains("peak of") == true)
    }

    /// ResourceQuota sums (replicas × requests over a namespace) overflowed Int64.
    @Test func quotaArithmeticOnHugeWorkloadsWarnsInsteadOfTrapping() throws {
        let (_, diagnostics) = ManifestReader.parse([
            (
                file: "q.yaml",
                yaml: """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: big}
                spec:
                  hard: {requests.memory: 4Ei, pods: "2000000"}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: a, namespace: big}
                spec:
                  replicas: 1000000
                  template:
                    spec:
                      containers: [{name: c, resources: {requests: {memory: 1Pi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: b, namespace: big}
                spec:
                  replicas: 1000000
                  template:
                    spec:
                      containers: [{name: c, resources: {requests: {memory: 1Pi}}}]
                """
            )
        ])
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        #expect(
            diagnostics.warnings.contains {
                $0.message.contains("asks for more than 64 bits count (requests.memory)")
                    && $0.message.contains("ResourceQuota big/q")
            }, "\(diagnostics)")
    }

    @Test func quotaAndLimitRangeAmountsAreRangeChecked() {
        let (_, diagnostics) = ManifestReader.parse([
            (
                file: "q.yaml",
                yaml: """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: n}
                spec:
                  hard: {limits.memory: 9Ei}
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: l, namespace: n}
                spec:
                  limits: [{type: Container, default: {memory: 8Ei}}]
                """
            )
        ])
        #expect(
            diagnostics.errors.map(\.message) == [
                "limits.memory in hard of ResourceQuota n/q must be from 0 to 4Ei, found '9Ei'",
                "memory in default of a limit of LimitRange n/l must be from 0 to 1Pi, found '8Ei'",
            ])
    }

    /// A price of more than 38 significant digits was rounded silently, so lines no longer summed.
    @Test func aSnapshotPriceOfMoreThan38DigitsIsRefused() throws {
        let snapshot = """
            snapshot,snapshot_date,region,service,item,term,unit,usd,source,source_date
            s,2026-11-01,us-east-1,ec2,m5.large,on-demand,hour,12345678901234567890.1234567890123456789,AWS,2026-11-01

            """
        let (read, diagnostics) = PriceSnapshotFile.read(bytes: Array(snapshot.utf8), file: "s.csv")
        #expect(read == nil)
        let error = try #require(diagnostics.first)
        #expect(error.location == SourceLocation(file: "s.csv", line: 2))
        #expect(error.message.contains("at most 38 significant digits (this one has 39)"))
    }

    @Test func anEstimateCSVAmountOfMoreThan38DigitsIsRefused() throws {
        let csv = """
            scenario,cluster,component,resource,quantity,unit,unit_price_usd,hours,monthly_usd,snapshot,hours_per_month\r
            s,c,compute,m5.large,1,node,0.1000000000000000000000000000000000000001,730,73.00,x,730\r
            s,,total,,,,,,73.00,x,730\r

            """
        let (report, diagnostics) = EstimateCSVFile.read(bytes: Array(csv.utf8), file: "e.csv")
        #expect(report == nil)
        #expect(
            diagnostics.first?.message.hasPrefix(
                "unit_price_usd must be a decimal number of at most 38 significant digits") == true)
    }

    /// An offer price of thousands of zeros trapped converting its exponent to Int16.
    @Test func anOfferPriceOfThousandsOfDigitsIsRefused() {
        let long = Array(("0." + String(repeating: "0", count: 40_000) + "1").utf8)
        #expect(long.withUnsafeBufferPointer { PriceValue.parse($0.span) } == nil)
        let fine = Array("0.0960000000".utf8)
        #expect(fine.withUnsafeBufferPointer { PriceValue.parse($0.span) } == PriceValue(mantissa: 96, exponent: -3))
    }
}

/// Fuzzing regression (FuzzEksctl, timeout): nested complex keys (`? - ? ? …`) made Yams'
/// duplicate-key check sort them with an exponential comparison; the file took minutes.
@Suite struct ComplexKeyTests {
    /// Fuzzing regressions (timeouts), each a located error at once now:
    /// - FuzzEksctl: nested complex keys, on line 2;
    /// - FuzzScenario: the same keys on lines that end in a lone CR, which YAML reads as line
    ///   breaks and the first pass did not. Ten lines end in LF (the comment to "    - a  i:"),
    ///   line 11 is "    -" ending in a CR, line 12 a lone "?" (a complex key): counted as
    ///   libyaml counts lines.
    @Test(arguments: [("fuzz/eksctl-complex-keys-timeout.yaml", 2), ("fuzz/scenario-complex-keys-cr-timeout.yaml", 12)])
    func fuzzedComplexKeysAreALocatedErrorAtOnce(fixture: String, line: Int) throws {
        let text = try String(contentsOfFile: TestPaths.fixture(fixture), encoding: .utf8)
        let started = Date()
        let diagnostics =
            fixture.contains("eksctl")
            ? EksctlReader.parse(yaml: text, file: "slow.yaml").diagnostics
            : ScenarioLoader.parse(yaml: text, file: "slow.yaml").diagnostics
        #expect(diagnostics.hasErrors)
        #expect(diagnostics.first?.location == SourceLocation(file: "slow.yaml", line: line))
        #expect(diagnostics.first?.message.contains("ekscost reads plain keys only") == true)
        // A bound far above the milliseconds it takes, far below the minutes it took.
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test(arguments: [
        ("a: 1\r? [x]\r: 2\r", 2), ("a: 1\r\n? b\r\n", 2), ("a: 1\u{85}? b\n", 2), ("a: |\r  ? text\rb: 1\r? c\r", 4),
        ("? a\n: b\n", 1), ("x: 1\n- ? [a]\n", 2), ("{? a: b}\n", 1), ("[a, b]: c\n", 1), ("x:\n  {a: b}: c\n", 2),
    ])
    func findsComplexKeys(text: String, line: Int) {
        #expect(ComplexKeys.firstLine(in: text) == line)
    }

    @Test(arguments: [
        "command: [\"sh\", \"-c\"]\nargs: {a: 1}\n",
        "script: |\n  ? not a key\n  [a]: text\nnext: 1\n",
        "q: \"what? [a]: b\"\nr: 'it''s ? fine'\n",
        "url: http://x/?a=1 # comment ? here\n",
        "{\"kind\": \"List\", \"items\": [{\"a\": [1, 2]}, {\"b\": {}}]}\n",
    ])
    func leavesPlainKeysAlone(text: String) {
        #expect(ComplexKeys.firstLine(in: text) == nil)
    }
}
