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

    /// Integer fields written straight into the output (`writeField(_: Int)`, a row of them at once
    /// with `writeIntegerFields`, empty ones with `writeEmptyFields`) are the bytes of the same
    /// fields as text through `writeRecord`, whose quoting libcsv decides: random records of
    /// integers of every size and sign, empty fields, and text fields that need quotes.
    @Test func integerFieldsAreTheBytesOfTheirText() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var fast = CSVWriter()
            var text = CSVWriter()
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                var record: [String] = []
                for _ in 0..<Int.random(in: 0...6, using: &generator) {
                    switch Int.random(in: 0...4, using: &generator) {
                    case 0:
                        let value = Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...63)
                        fast.writeField(value)
                        record.append(String(value))
                    case 1:
                        let values =
                            (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                                Int.random(in: -200...200, using: &generator)
                                    * [1, 1, 1, 1000, 1_000_000_000_000].randomElement(using: &generator)!
                            } + [Int.min, Int.max, 0, 9, 10, 99, 100, -9, -10].shuffled().prefix(2)
                        fast.writeIntegerFields(values)
                        record += values.map(String.init)
                    case 2:
                        let count = Int.random(in: 0...3, using: &generator)
                        fast.writeEmptyFields(count)
                        record += Array(repeating: "", count: count)
                    case 3:
                        let field = ["a,b", " x", "say \"hi\"", "two\nlines", "12", "-3"].randomElement()!
                        fast.writeField(field)
                        record.append(field)
                    default:
                        fast.writeIntegerFields([])
                    }
                }
                fast.endRecord()
                text.writeRecord(record)
            }
            #expect(fast.bytes == text.bytes)
        }
    }
}
