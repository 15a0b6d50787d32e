import Testing

@testable import CSVStream

@Suite struct CSVWriterTests {
    @Test func quotesOnlyWhenNeeded() {
        var writer = CSVWriter()
        writer.writeRecord(["plain", "with,comma", "say \"hi\"", "", "two\nlines", " padded"])
        #expect(writer.text == "plain,\"with,comma\",\"say \"\"hi\"\"\",,\"two\nlines\",\" padded\"\r\n")
    }

    @Test func writesLFWhenAsked() {
        var writer = CSVWriter(lineEnding: .lf)
        writer.writeRecord(["a", "b"])
        writer.writeRecord(["1", "2"])
        #expect(writer.text == "a,b\n1,2\n")
    }

    @Test func roundTripsThroughTheReader() throws {
        let rows = [["name", "note"], ["m5.large", "Linux/UNIX, \"shared\"\r\nnext"], ["", "x"]]
        var writer = CSVWriter()
        rows.forEach { writer.writeRecord($0) }
        let back = try CSVReader(bytes: writer.bytes).readAll().map(\.fields)
        #expect(back == rows)
    }
}
