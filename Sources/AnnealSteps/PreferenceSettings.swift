/// The data fields of the preference kinds (`PreferenceExamples.fields`), decoded.
struct PreferenceSettings: Decodable {
    var data: String
    var validation: String?
    var validationSplit: Double
    var maxLength: Int?
    var numTrainEpochs: Double
    var maxSteps: Int?
}
