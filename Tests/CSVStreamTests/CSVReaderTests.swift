import Foundation
import Testing

@testable import CSVStream

/// Reads `text` with the given chunk size and returns each record's fields and start line.
private func read(_ text: String, chunkSize: Int = 64 * 1024) throws -> [CSVRecord] {
    try CSVReader(string: text, options: CSVReadOptions(chunkSize: chunkSize)).readAll()
}

@Suite struct CSVReaderTests {
    @Test func readsPlainRecordsWithLineNumbers() throws {
        let records = try read("a,b,c\n1,2,3\n4,5,6\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]])
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records.map(\.number) == [1, 2, 3])
    }

    @Test func unquotesFieldsWithCommasAndDoubledQuotes() throws {
        let records = try read("\"Linux/UNIX (Amazon VPC), m5.large\",\"say \"\"hi\"\"\",x\n")
        #expect(records[0].fields == ["Linux/UNIX (Amazon VPC), m5.large", "say \"hi\"", "x"])
    }

    @Test func keepsEmptyFieldsAsWrittenByAWS() throws {
        let records = try read("\"USD\",,\"3yr\",\n")
        #expect(records[0].fields == ["USD", "", "3yr", ""])
    }

    @Test func acceptsRaggedRowsAndLeavesTheCountToTheCaller() throws {
        let records = try read("\"FormatVersion\",\"v1.0\"\n\"SKU\",\"OfferTermCode\",\"RateCode\"\nA,B,C\n")
        #expect(records.map(\.fields.count) == [2, 3, 3])
    }

    @Test func dropsALeadingByteOrderMark() throws {
        let records = try read("\u{FEFF}name,value\nx,1\n")
        #expect(records[0].fields == ["name", "value"])
    }

    @Test func dropsAByteOrderMarkSplitAcrossOneByteChunks() throws {
        let records = try read("\u{FEFF}name,value\n", chunkSize: 1)
        #expect(records[0].fields == ["name", "value"])
    }

    @Test func keepsBytesThatOnlyStartLikeAByteOrderMark() throws {
        // U+FEFB starts with EF BB but is not a byte order mark.
        let records = try read("\u{FEFB}a,b\n", chunkSize: 1)
        #expect(records[0].fields == ["\u{FEFB}a", "b"])
    }

    @Test func keepsBlanksAroundUnquotedFields() throws {
        let records = try read(" a , b\n")
        #expect(records[0].fields == [" a ", " b"])
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func readsAQuotedFieldSplitAcrossChunkBoundaries(chunkSize: Int) throws {
        let text = "id,description\n1,\"first, \"\"quoted\"\"\nsecond line\"\n2,plain\n"
        let records = try read(text, chunkSize: chunkSize)
        #expect(
            records.map(\.fields) == [
                ["id", "description"], ["1", "first, \"quoted\"\nsecond line"], ["2", "plain"],
            ])
        // The embedded line break moves the next record to line 4.
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func readsALastRowWithoutNewline() throws {
        let records = try read("a,b\n1,2")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(records[1].line == 2)
    }

    @Test func countsLinesOfCRLFInputAndSkipsBlankLines() throws {
        let records = try read("a,b\r\n\r\n1,2\r\n3,4\r\n")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [1, 3, 4])
    }

    @Test func rejectsAnUnterminatedQuoteWithItsLine() throws {
        #expect(throws: CSVError.unterminatedQuote(line: 3, record: 3)) {
            try read("a,b\n1,2\n3,\"never closed\n4,5\n")
        }
    }

    @Test func rejectsAStrayQuoteWithItsLineAndRecord() throws {
        #expect(throws: CSVError.malformedQuote(line: 2, record: 2)) {
            try read("a,b\n1,x\"y\n3,4\n")
        }
    }

    @Test func rejectsTextAfterAClosingQuote() throws {
        #expect(throws: CSVError.malformedQuote(line: 3, record: 3)) {
            try read("a,b\n1,2\n\"3\"x,4\n")
        }
    }

    @Test func reportsTheLineOfAStrayQuoteAfterAnEmbeddedLineBreak() throws {
        #expect(throws: CSVError.malformedQuote(line: 3, record: 2)) {
            try read("a,b\n\"multi\nline\",x\"y\n")
        }
    }

    @Test func deliversTheRecordsBeforeAnError() {
        var seen: [[String]] = []
        #expect(throws: CSVError.self) {
            try CSVReader(string: "a,b\n1,2\n3,\"open\n").forEachRecord { seen.append($0.strings) }
        }
        #expect(seen == [["a", "b"], ["1", "2"]])
    }

    @Test func stopsAtAFieldLongerThanTheLimit() {
        let options = CSVReadOptions(chunkSize: 16, maxFieldBytes: 64)
        let text = "a\n\"" + String(repeating: "x", count: 500) + "\n"
        #expect(throws: CSVError.self) { try CSVReader(string: text, options: options).readAll() }
    }

    @Test func comparesFieldsWithoutDecoding() throws {
        var matches: [Bool] = []
        try CSVReader(string: "OnDemand,x\nReserved,y\n").forEachRecord {
            matches.append($0.field(0, equals: "OnDemand"))
        }
        #expect(matches == [true, false])
    }

    @Test func readsAFileInChunks() throws {
        let path = "/tmp/ekscost-csvreader-\(getpid()).csv"
        let text = (1...1000).map { "\($0),\"row \($0), with comma\"" }.joined(separator: "\n") + "\n"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let records = try CSVReader(path: path, options: CSVReadOptions(chunkSize: 100)).readAll()
        #expect(records.count == 1000)
        #expect(records[999].fields == ["1000", "row 1000, with comma"])
        #expect(records[999].line == 1000)
    }

    @Test func namesTheFileItCannotOpen() {
        #expect(throws: CSVError.cannotOpen(path: "/nonexistent/x.csv", reason: "No such file or directory")) {
            try CSVReader(path: "/nonexistent/x.csv").readAll()
        }
    }
}
