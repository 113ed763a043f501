import Mustache

// Key lookups for the templates. Without these, swift-mustache finds every `{{key}}` by
// reflecting the view (`Mirror`), for each key and each level of the context stack it
// climbs: with 1,000 functions that was a quarter of a warm generator run. Each view
// answers the names of its stored properties, the same names the templates use;
// `MustacheLookupTests` checks the answers against the properties.

extension GeneratedSwiftView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "targetName": targetName
        case "access": access
        case "appID": appID
        case "appIDLiteral": appIDLiteral
        case "namespace": namespace
        case "functions": functions
        case "embedManifest": embedManifest
        case "manifestFileName": manifestFileName
        case "manifestLiteral": manifestLiteral
        case "hasEvents": hasEvents
        case "eventsNamespace": eventsNamespace
        case "eventNames": eventNames
        case "eventTypes": eventTypes
        case "imports": imports
        default: nil
        }
    }
}

extension GeneratedSwiftView.FunctionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "idLiteral": idLiteral
        case "referenceName": referenceName
        case "inputType": inputType
        case "outputType": outputType
        case "handlerName": handlerName
        case "configurationArguments": configurationArguments
        case "hasOnFailure": hasOnFailure
        case "onFailure": onFailure
        default: nil
        }
    }
}

extension GeneratedSwiftView.EventNameView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "constantName": constantName
        case "name": self.name
        case "nameLiteral": nameLiteral
        default: nil
        }
    }
}

extension GeneratedSwiftView.ImportView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "appID": appID
        case "appIDLiteral": appIDLiteral
        case "namespace": namespace
        case "manifestFile": manifestFile
        case "functions": functions
        case "hasEvents": hasEvents
        case "eventNames": eventNames
        case "types": types
        default: nil
        }
    }
}

extension GeneratedSwiftView.TypeView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "hasSummary": hasSummary
        case "summary": summary
        case "isEnum": isEnum
        case "isEvent": isEvent
        case "eventNameLiteral": eventNameLiteral
        case "conformances": conformances
        case "cases": cases
        case "properties": properties
        case "initParameters": initParameters
        case "hasCodingKeys": hasCodingKeys
        default: nil
        }
    }
}

extension GeneratedSwiftView.CaseView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "caseName": caseName
        case "rawLiteral": rawLiteral
        default: nil
        }
    }
}

extension GeneratedSwiftView.PropertyView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "type": type
        case "keyLiteral": keyLiteral
        case "hasSummary": hasSummary
        case "summary": summary
        default: nil
        }
    }
}
