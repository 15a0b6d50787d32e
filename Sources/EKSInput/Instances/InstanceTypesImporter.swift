import CSVStream
public import EKSModel
import FileAccess
import Foundation

/// An instance type and where its facts come from.
public struct SourcedInstanceType: Sendable {
    public var type: InstanceType
    public var source: String

    public init(type: InstanceType, source: String) {
        self.type = type
        self.source = source
    }
}

/// Reads instance facts from `aws ec2 describe-instance-types` JSON output
/// (`{"InstanceTypes": [...]}`, one page or several, concatenated or in a JSON list) and from
/// the keyed copy of the same data that ships with moto (`{"m5.large": {...}, ...}`),
/// gzipped or not.
public enum InstanceTypesImporter {
    public struct ImportError: Error, CustomStringConvertible {
        public let file: String
        public let message: String
        public var description: String { "\(file): error: \(message)" }
    }

    public static func read(path: String, source: String) throws -> [SourcedInstanceType] {
        var data: Data
        do {
            data = Data(try RegularFile.contents(path))
        } catch {
            throw ImportError(file: path, message: "cannot read the file: \(error.reason)")
        }
        if Gzip.isGzip(data) {
            do { data = try Gzip.decompress(data) } catch { throw ImportError(file: path, message: "\(error)") }
        }
        let documents = splitDocuments(data)
        guard !documents.isEmpty else { throw ImportError(file: path, message: "no JSON in the file") }
        var types: [SourcedInstanceType] = []
        for (index, document) in documents.enumerated() {
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: document)
            } catch {
                throw ImportError(
                    file: path, message: "JSON document \(index + 1) is not valid JSON: \(error.localizedDescription)")
            }
            try collect(object, into: &types, file: path, source: source)
        }
        guard !types.isEmpty else {
            throw ImportError(
                file: path,
                message:
                    "no instance types found: expected describe-instance-types output ({\"InstanceTypes\": [...]}) or moto's instance_types.json"
            )
        }
        return types
    }

    static func collect(_ object: Any, into types: inout [SourcedInstanceType], file: String, source: String) throws {
        if let list = object as? [Any] {
            for element in list { try collect(element, into: &types, file: file, source: source) }
            return
        }
        guard let dictionary = object as? [String: Any] else { return }
        if let page = dictionary["InstanceTypes"] as? [Any] {
            for element in page { try collect(element, into: &types, file: file, source: source) }
            return
        }
        if dictionary["InstanceType"] is String {
            types.append(SourcedInstanceType(type: try instanceType(from: dictionary, file: file), source: source))
            return
        }
        // moto's copy: keyed by instance type name.
        for key in dictionary.keys.sorted() {
            if let entry = dictionary[key] as? [String: Any], entry["InstanceType"] is String {
                types.append(SourcedInstanceType(type: try instanceType(from: entry, file: file), source: source))
            }
        }
    }

    static func instanceType(from entry: [String: Any], file: String) throws -> InstanceType {
        let name = entry["InstanceType"] as! String
        // JSON numbers arrive as NSNumber; a huge or fractional one is refused, not wrapped.
        func number(_ value: Any?) -> Int? {
            if let int = value as? Int { return int }
            guard let double = (value as? NSNumber)?.doubleValue, let whole = CheckedNumber.int64(rounding: double),
                Double(whole) == double, abs(whole) <= 1 << 40
            else { return nil }
            return Int(whole)
        }
        let vcpuInfo = entry["VCpuInfo"] as? [String: Any]
        let memoryInfo = entry["MemoryInfo"] as? [String: Any]
        let network = entry["NetworkInfo"] as? [String: Any]
        guard let vcpu = number(vcpuInfo?["DefaultVCpus"]), let memory = number(memoryInfo?["SizeInMiB"]),
            let ipv4 = number(network?["Ipv4AddressesPerInterface"]),
            InstanceType.catalogRanges[0].contains(vcpu), InstanceType.catalogRanges[1].contains(memory),
            InstanceType.catalogRanges[3].contains(ipv4)
        else {
            throw ImportError(
                file: file,
                message:
                    "\(name): VCpuInfo.DefaultVCpus (0 to 100000), MemoryInfo.SizeInMiB (0 to 1073741824) and NetworkInfo.Ipv4AddressesPerInterface (0 to 1000) are required"
            )
        }
        // The VPC CNI uses only the default network card (max-pods-calculator.sh).
        var enis = number(network?["MaximumNetworkInterfaces"]) ?? 0
        let defaultCard = number(network?["DefaultNetworkCardIndex"]) ?? 0
        if let cards = network?["NetworkCards"] as? [[String: Any]],
            let card = cards.first(where: { number($0["NetworkCardIndex"]) == defaultCard }),
            let cardENIs = number(card["MaximumNetworkInterfaces"])
        {
            enis = cardENIs
        }
        guard InstanceType.catalogRanges[2].contains(enis) else {
            throw ImportError(
                file: file, message: "\(name): MaximumNetworkInterfaces must be from 0 to 1000, found \(enis)")
        }
        let architectures = (entry["ProcessorInfo"] as? [String: Any])?["SupportedArchitectures"] as? [String] ?? []
        let architecture =
            architectures.contains("arm64")
            ? "arm64"
            : architectures.contains("x86_64") ? "x86_64" : (architectures.first ?? "")
        let gpuInfo = entry["GpuInfo"] as? [String: Any]
        let devices = gpuInfo?["Gpus"] as? [[String: Any]] ?? []
        let gpus = devices.reduce(0) { $0.saturatingAdding(number($1["Count"]) ?? 0) }
        // TotalGpuMemoryInMiB where given, else each device's count × memory (GpuDeviceInfo).
        let gpuMemory =
            number(gpuInfo?["TotalGpuMemoryInMiB"])
            ?? devices.reduce(0) {
                $0.saturatingAdding(
                    (number($1["Count"]) ?? 0).saturatingMultiplied(
                        by: number(($1["MemoryInfo"] as? [String: Any])?["SizeInMiB"]) ?? 0))
            }
        guard InstanceType.catalogRanges[4].contains(gpus), InstanceType.catalogRanges[5].contains(gpuMemory) else {
            throw ImportError(
                file: file,
                message:
                    "\(name): GpuInfo must give from 0 to 1000 GPUs and from 0 to 1073741824 MiB of GPU memory, found \(gpus) and \(gpuMemory)"
            )
        }
        var type = InstanceType(
            name: name, vcpu: vcpu, memoryMiB: memory, architecture: architecture,
            hypervisor: entry["Hypervisor"] as? String ?? "", enis: enis, ipv4PerENI: ipv4,
            gpus: gpus, bareMetal: entry["BareMetal"] as? Bool ?? false,
            burstable: entry["BurstablePerformanceSupported"] as? Bool ?? false,
            currentGeneration: entry["CurrentGeneration"] as? Bool ?? false)
        type.gpuMemoryMiB = gpuMemory
        return type
    }

    /// Splits concatenated top-level JSON values (pages printed one after another).
    static func splitDocuments(_ data: Data) -> [Data] {
        var documents: [Data] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start: Int?
        let bytes = [UInt8](data)
        for (index, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7B, 0x5B:
                if depth == 0 { start = index }
                depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0, let begin = start {
                    documents.append(Data(bytes[begin...index]))
                    start = nil
                }
            default: break
            }
        }
        // An unclosed document goes to the parser too: let it say what is wrong.
        if depth != 0, let begin = start { documents.append(Data(bytes[begin...])) }
        return documents
    }

    /// Merges inputs in order: a type seen again replaces the earlier entry.
    public static func merge(_ inputs: [[SourcedInstanceType]]) -> [SourcedInstanceType] {
        var byName: [String: SourcedInstanceType] = [:]
        for input in inputs { for entry in input { byName[entry.type.name] = entry } }
        return byName.values.sorted { $0.type.name < $1.type.name }
    }
}
