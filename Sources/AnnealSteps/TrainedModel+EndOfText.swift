import AnnealEngine
import Foundation

extension TrainedModel {
    /// The ids at which free text from this model ends, as `transformers`'
    /// `generate` reads them: `eos_token_id` of `generation_config.json`, else
    /// of `config.json` (one id or a list of ids), of the folder or, for an
    /// adapter, of its base model. Empty when neither file names one.
    public func endOfTextTokens() throws -> Set<Int32> {
        let folder = FileManager.default.fileExists(atPath: directory + "/adapter_config.json")
            ? try Self.adapterBase(directory) : directory
        for name in ["generation_config.json", "config.json"] {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw StepFailure("\(path) is not a JSON object; rewrite it, or delete it if it is not needed")
            }
            guard let value = json["eos_token_id"], !(value is NSNull) else { continue }
            let ids = (value as? [Any] ?? [value]).map { ($0 as? NSNumber).flatMap { Self.tokenId($0, vocabulary: network.config.vocabulary) } }
            guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else {
                throw StepFailure("\(path): eos_token_id is \(value); it must be a token id below \(network.config.vocabulary) or a list of such ids")
            }
            return Set(ids.compactMap { $0 })
        }
        return []
    }

    /// `number` as a token id of a vocabulary of `vocabulary` ids, if it is one.
    private static func tokenId(_ number: NSNumber, vocabulary: Int) -> Int32? {
        let kind = String(cString: number.objCType)
        guard kind != "c", kind != "B", number.doubleValue.rounded() == number.doubleValue,
              number.doubleValue >= 0, number.doubleValue < Double(vocabulary) else { return nil }
        return Int32(number.intValue)
    }
}
