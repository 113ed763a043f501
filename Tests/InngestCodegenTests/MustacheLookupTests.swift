import Foundation
import Mustache
import Testing

@testable import InngestCodegen

/// The views answer template lookups themselves (`MustacheParent`) instead of being
/// reflected; every stored property must be answered, with its own value.
@Suite struct MustacheLookupTests {
    static let property = GeneratedSwiftView.PropertyView(name: "orderID", type: "String", keyLiteral: "\"order_id\"", hasSummary: true, summary: "The order.")
    static let enumCase = GeneratedSwiftView.CaseView(caseName: "web", rawLiteral: "\"web\"")
    static let typeView = GeneratedSwiftView.TypeView(
        name: "OrderPlaced", hasSummary: true, summary: "Placed.", isEnum: false, isEvent: true, eventNameLiteral: "\"shop/order.placed\"",
        conformances: "EventPayload, Hashable", cases: [enumCase], properties: [property], initParameters: "orderID: String", hasCodingKeys: true)
    static let eventName = GeneratedSwiftView.EventNameView(constantName: "shopOrderPlaced", name: "shop/order.placed", nameLiteral: "\"shop/order.placed\"")
    static let function = GeneratedSwiftView.FunctionView(
        id: "compute-square", idLiteral: "\"compute-square\"", referenceName: "computeSquare", inputType: "SquareInput", outputType: "Int",
        handlerName: "computeSquare(_:)", configurationArguments: "id: \"compute-square\"", hasOnFailure: true, onFailure: "failed")
    static let imported = GeneratedSwiftView.ImportView(
        appID: "billing", appIDLiteral: "\"billing\"", namespace: "Billing", manifestFile: "billing.inngest.json",
        functions: [function], hasEvents: true, eventNames: [eventName], types: [typeView])
    static let view = GeneratedSwiftView(
        targetName: "Shop", access: "public", appID: "shop", appIDLiteral: "\"shop\"", namespace: "Functions", functions: [function],
        embedManifest: true, manifestFileName: "shop.inngest.json", manifestLiteral: "#\"{}\"#", hasEvents: true, eventsNamespace: "Events",
        eventNames: [eventName], eventTypes: [typeView], imports: [imported])

    static var views: [any MustacheParent] { [view, function, eventName, imported, typeView, enumCase, property] }

    @Test(arguments: 0..<views.count)
    func everyStoredPropertyIsAnsweredWithItsValue(_ index: Int) {
        let view = Self.views[index]
        let mirror = Mirror(reflecting: view)
        #expect(!mirror.children.isEmpty)
        for child in mirror.children {
            guard let label = child.label else { continue }
            let answered = view.child(named: label)
            #expect(answered != nil, "\(type(of: view)) does not answer \"\(label)\"")
            #expect(String(describing: answered.map { $0 } ?? "nil") == String(describing: child.value), "\(type(of: view)).\(label)")
        }
        #expect(view.child(named: "noSuchKey") == nil)
    }
}
