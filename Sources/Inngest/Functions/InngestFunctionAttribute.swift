/// Marks a global function or a static method as an Inngest function.
///
/// ```swift
/// @InngestFunction(id: "import-product-images",
///                  trigger: .event("shop/product.imported"),
///                  retries: 5, concurrency: .limit(10))
/// func importProductImages(_ ctx: Context<ProductImported>) async throws -> [URL] { … }
/// ```
///
/// A *marker*: the compiler type-checks the arguments (a misspelled option is a compile
/// error) but expands nothing, so no macro plugin is built. The build-tool plugin reads
/// the annotated declarations and generates the registry of the target's functions, a
/// typed ``FunctionReference`` for each and the step manifest, passing these arguments
/// unchanged to ``/InngestCore/FunctionConfiguration`` (and `onFailure` to ``InngestFunction``).
///
/// The handler takes one ``Context`` and may be `async` and `throws`; it returns any
/// `Encodable & Sendable` value or nothing.
@attached(peer)
public macro InngestFunction(
    id: String,
    name: String? = nil,
    trigger: Trigger? = nil,
    triggers: [Trigger] = [],
    retries: Int = InngestLimits.defaultRetries,
    onFailure: FailureHandler? = nil,
    cancelOn: [Cancellation] = [],
    concurrency: Concurrency? = nil,
    throttle: Throttle? = nil,
    rateLimit: RateLimit? = nil,
    debounce: Debounce? = nil,
    priority: Priority? = nil,
    batchEvents: BatchEvents? = nil,
    idempotency: String? = nil,
    timeouts: Timeouts? = nil,
    singleton: Singleton? = nil
) = Builtin.ExternalMacro
