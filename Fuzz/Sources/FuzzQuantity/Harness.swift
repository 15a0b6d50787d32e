import EKSModel
import Foundation
import FuzzDriver

// Kubernetes quantities: parsed or refused; a quantity accepted for a resource is within
// InputLimits, and its millicores and bytes never wrap (8Ei once became 0).
func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: bytes(data, count), as: UTF8.self)
    guard case .success(let quantity) = ResourceQuantity.parse(text) else { return 0 }
    for resource in ["cpu", "memory", "ephemeral-storage", "nvidia.com/gpu"] {
        if case .success(let amount) = quantity.amount(of: resource) {
            require(amount >= 0, "negative amount accepted")
            require(
                resource == "cpu" ? amount == quantity.milliValue : amount == quantity.value,
                "amount differs from the quantity's value")
        }
    }
    // Never wraps: a positive quantity never comes out negative or zero.
    if quantity.amount > 0 { require(quantity.milliValue > 0 && quantity.value > 0, "a positive quantity wrapped") }
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzQuantity_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, test)
}
