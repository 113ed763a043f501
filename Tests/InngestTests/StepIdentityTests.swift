import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct StepIdentityTests {
    /// The SHA-1 table of the conformance cases.
    @Test(arguments: [
        ("my-step-id", "e7d8a2f140845095749d60246ff1110c9d01d76a"),
        ("copy-images-to-s3", "3059b195c91cda9734ab88acfdcd22086b09f9b3"),
        ("copy-images-to-s3:1", "24e7148209ac7ee18f7c78ac10752bf70ee8ead7"),
        ("copy-images-to-s3:2", "b8dda9f4e5de83cf0358ccbcc3607ec93f8482c7"),
        ("fetch-user", "857c0b3e9253ce40ce09381575f27504abb803ea"),
        ("send-email", "ae5eabd67d009d3acf1edede18ddb17ec5997dc5"),
        ("parallel-a", "6e1ce6fba454b423dd2304bed7db6a36cdedc6df"),
        ("parallel-b", "3a23e584ab0e16d179e37f9075588363ff16d99c"),
        ("nap", "c2640f79b4ed481b838ce4ad75330aa3f825d4d9"),
        ("sleep-until", "2c3b76f95540eeacba8334bc565a56fc58bef97c"),
        ("wait-for-payment", "5cb60a99e2e4e3944be0f5d63c9a6972d88db4e8"),
        ("invoke-child", "7ff123e6431be676220df2842b3ee0fd2b288a86"),
        ("risky", "f8a3616d7e58ff6242563873b1cfc46048094eb9"),
        ("notify", "4f08301dcb7bf7ec8486798a9d2a1d43f508c8aa"),
        ("notify:1", "72c5de6946cdf2dfe0fda8996135cf23ef25569c"),
        ("résumé", "f8918de22cfec9e8cabddcf17980b1ae9bcd957a"),
        ("complete", "0737c22d3bfae812339732d14d8c7dbd6dc4e09c"),
        ("first step", "98bf98df193bcce7c33e6bc50927cf2ac21206cb"),
        ("sleep", "c3ca5f787365eae0dea86250e27d476406956478"),
        ("second step", "764e20ec975d4ef820d0f42e6a5833384bd7ee36"),
        ("wait", "daaad336276d15594d0e765f96c17cd746bf4971"),
    ])
    func hashMatchesConformanceTable(preHash: String, sha1: String) {
        #expect(StepIdentity.hash(preHash) == sha1)
    }

    @Test func repeatsAppendTheIndex() {
        #expect(StepIdentity(userID: "copy-images-to-s3", index: 0).hashedID == Hash.copy)
        #expect(StepIdentity(userID: "copy-images-to-s3", index: 2).preHashID == "copy-images-to-s3:2")
        #expect(StepIdentity(userID: "copy-images-to-s3", index: 2).hashedID == Hash.copy2)
    }
}
