import Testing

@testable import EKSCost

/// Where an installed or a cloned ekscost looks for its bundled Pricing/ folder.
@Suite struct PricingFoldersTests {
    /// `make install PREFIX=/opt/ekscost`: bin/ekscost and share/ekscost/Pricing side by side,
    /// found right after the working folder's own Pricing/.
    @Test func anInstalledBinaryLooksInItsPrefixShareFolder() {
        let candidates = PricingFolders.bundledCandidates(
            currentDirectory: "/home/ana/reports",
            executable: "/opt/ekscost/bin/ekscost")
        #expect(Array(candidates.prefix(2)) == ["/home/ana/reports/Pricing", "/opt/ekscost/share/ekscost/Pricing"])
    }

    /// A clone's build: .build/<triple>/release/ekscost is three folders below the clone.
    @Test func aClonesBuildFindsTheClonesPricingFolder() {
        let candidates = PricingFolders.bundledCandidates(
            currentDirectory: "/tmp", executable: "/src/ekscost/.build/x86_64-unknown-linux-gnu/release/ekscost")
        #expect(candidates.contains("/src/ekscost/Pricing"))
        #expect(candidates.first == "/tmp/Pricing")
    }

    @Test func theWorkingFolderRootIsNotDoubledSlashed() {
        #expect(
            PricingFolders.bundledCandidates(currentDirectory: "/", executable: "/usr/bin/ekscost").first == "/Pricing")
    }
}
