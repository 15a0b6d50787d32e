import Testing

@testable import ekscost

@Suite struct ProgressLineTests {
    @Test func showsBarBytesSpeedAndTimeLeft() {
        // 400 of 1000 MB in 0.5 s: 800 MB/s, 600 MB left → 0.75 s → 0:01. The numbers take 36
        // columns and the name 9, so the bar gets 60 − 36 − 9 − 3 = 12, 40 % of it filled: 4.
        let line = ProgressLine.render(
            file: "/data/AmazonEC2/index.csv", done: 400_000_000, total: 1_000_000_000,
            seconds: 0.5, width: 60)
        #expect(line == "index.csv [####........] 400.0/1000.0 MB  800 MB/s  ETA 0:01")
        #expect(line.count == 60)
    }

    @Test func knowsNoTimeLeftBeforeAnyByte() {
        let line = ProgressLine.render(file: "ec2.csv", done: 0, total: 2_500_000_000, seconds: 0, width: 50)
        #expect(line == "ec2.csv [..........] 0.0/2500.0 MB  0 MB/s  ETA --:--")
    }

    @Test func countsMinutes() {
        // 100 MB in 10 s: 10 MB/s; 1900 MB left → 190 s → 3:10.
        let line = ProgressLine.render(file: "ec2.csv", done: 100_000_000, total: 2_000_000_000, seconds: 10, width: 80)
        #expect(line.hasSuffix("100.0/2000.0 MB  10 MB/s  ETA 3:10"))
    }
}
