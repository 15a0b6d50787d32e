import Foundation
import Testing

@testable import EKSModel

@Suite struct ResourceQuantityTests {
    private func quantity(_ text: String) throws -> ResourceQuantity { try ResourceQuantity.parse(text).get() }

    @Test func readsCPUInMillicores() throws {
        #expect(try quantity("500m").milliValue == 500)
        #expect(try quantity("1.5").milliValue == 1500)
        #expect(try quantity("2").milliValue == 2000)
        #expect(try quantity(".25").milliValue == 250)
        // MilliValue rounds up: 0.1m is one millicore.
        #expect(try quantity("100u").milliValue == 1)
    }

    @Test func readsMemoryInBytes() throws {
        #expect(try quantity("512Mi").value == 536_870_912)
        #expect(try quantity("2Gi").value == 2_147_483_648)
        #expect(try quantity("1G").value == 1_000_000_000)
        #expect(try quantity("128974848").value == 128_974_848)
        #expect(try quantity("129e6").value == 129_000_000)
        #expect(try quantity("1.5Gi").value == 1_610_612_736)
    }

    @Test(arguments: ["2GB", "abc", "1.2.3", "5 Gi", "Gi", "", "1e", "10mi"])
    func rejectsTextOutsideTheGrammar(text: String) {
        #expect(throws: QuantityError.self) { try ResourceQuantity.parse(text).get() }
    }

    @Test func suggestsTheKubernetesSpellingOfGB() {
        let error = QuantityError(text: "2GB")
        #expect(error.description.contains("write 2G (powers of 1000) or 2Gi (powers of 1024)"))
    }
}
