import SwiftParser
import SwiftSyntax

/// Describes a struct, class or enum for JSON Schema: stored properties with their JSON
/// keys (honouring a `CodingKeys` enum), raw-value enum cases, and `static let eventName`.
enum TypeCollector {
    static func type(
        named name: String, kind: ScannedType.Kind, inheritance: InheritanceClauseSyntax?, members: MemberBlockSyntax
    ) -> ScannedType {
        let inherited = inheritance?.inheritedTypes.map { $0.type.trimmedDescription } ?? []
        let codingKeys = Self.codingKeys(in: members)
        var properties: [ScannedProperty] = []
        var cases: [EnumCase] = []
        var eventName: String?
        for member in members.members {
            if let variable = member.decl.as(VariableDeclSyntax.self) {
                let isStatic = variable.modifiers.contains { ["static", "class"].contains($0.name.text) }
                for binding in variable.bindings {
                    guard let identifier = binding.pattern.as(IdentifierPatternSyntax.self) else { continue }
                    let propertyName = identifier.identifier.text
                    if isStatic {
                        if propertyName == "eventName", let value = binding.initializer.flatMap({ LiteralSyntax.string($0.value) }) {
                            eventName = value
                        }
                        continue
                    }
                    // Computed properties are not encoded by synthesized Codable.
                    if let accessors = binding.accessorBlock, !Self.isObserverOnly(accessors) { continue }
                    guard let type = binding.typeAnnotation?.type.trimmedDescription else { continue }
                    let key = codingKeys.map { $0[propertyName] } ?? propertyName
                    guard let key else { continue }  // left out of CodingKeys: not encoded
                    properties.append(ScannedProperty(name: propertyName, key: key, type: type, hasDefault: binding.initializer != nil))
                }
            } else if let caseDecl = member.decl.as(EnumCaseDeclSyntax.self), kind == .enumeration {
                for element in caseDecl.elements where element.parameterClause == nil {
                    let raw = element.rawValue.flatMap { LiteralSyntax.string($0.value) ?? $0.value.trimmedDescription }
                    cases.append(EnumCase(name: element.name.text, rawValue: raw ?? element.name.text))
                }
            }
        }
        return ScannedType(name: name, kind: kind, inheritedTypes: inherited, properties: properties, cases: cases, eventName: eventName)
    }

    private static func isObserverOnly(_ accessors: AccessorBlockSyntax) -> Bool {
        guard case .accessors(let list) = accessors.accessors else { return false }
        return list.allSatisfy { ["willSet", "didSet"].contains($0.accessorSpecifier.text) }
    }

    /// `enum CodingKeys: String, CodingKey { case a, b = "b_key" }` → property → key.
    private static func codingKeys(in members: MemberBlockSyntax) -> [String: String]? {
        for member in members.members {
            guard let enumDecl = member.decl.as(EnumDeclSyntax.self), enumDecl.name.text == "CodingKeys" else { continue }
            var keys: [String: String] = [:]
            for caseMember in enumDecl.memberBlock.members {
                guard let caseDecl = caseMember.decl.as(EnumCaseDeclSyntax.self) else { continue }
                for element in caseDecl.elements {
                    keys[element.name.text] = element.rawValue.flatMap { LiteralSyntax.string($0.value) } ?? element.name.text
                }
            }
            return keys
        }
        return nil
    }
}
