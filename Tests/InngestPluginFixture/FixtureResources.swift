import Foundation

/// The manifest the plugin wrote next to the generated Swift is copied into the bundle.
public enum FixtureResources {
    public static var manifestURL: URL? {
        Bundle.module.url(forResource: "fixture-app.inngest", withExtension: "json")
    }
}
