import Foundation
import HTTPTypes
import Inngest
import InngestEngine
import ServiceLifecycle

/// The HTML pages, their live updates (`live/…`, server-sent events) and the login.
struct PageRoutes {
    let dashboard: Dashboard
    var engine: Engine { dashboard.engine }
    var pages: PageRenderer { dashboard.pages }
    var base: String { dashboard.configuration.basePath }

    func respond(to request: HTTPRequestMessage, parts: [String]) async -> DashboardResponse {
        if parts == ["login"] { return .complete(await login(request)) }
        guard request.method == .get || request.method == .head else {
            return .complete(
                .html(.methodNotAllowed, pages.page("notFound", ["message": "\(request.method.rawValue) is not allowed here; pages are read with GET"], pageTitle: "Not allowed", section: nil)))
        }
        do {
            switch parts.count {
            case 0: return .complete(.redirect(to: "\(base)/runs"))
            case 1 where parts[0] == "runs": return .complete(try await runsPage(request))
            case 2 where parts[0] == "runs": return .complete(try await runPage(parts[1]))
            case 1 where parts[0] == "functions": return .complete(functionsPage())
            case 2 where parts[0] == "functions": return .complete(functionPage(parts[1]))
            case 1 where parts[0] == "apps": return .complete(try await appsPage())
            case 1 where parts[0] == "events": return .complete(try await eventsPage(request))
            case 2 where parts[0] == "events": return .complete(try await eventPage(parts[1]))
            case 2 where parts == ["live", "runs"]:
                let query = try RunQuery(request, engine: engine)
                return .eventStream(live { try await runsTable(query) })
            case 3 where parts[0] == "live" && parts[1] == "runs":
                let runID = parts[2]
                return .eventStream(live { try await runDetailFragment(runID) })
            default: return .complete(notFound("no page at \(request.path)"))
            }
        } catch let error as APIError {
            return .complete(
                error.status == 404 ? notFound(error.message) : .html(HTTPResponse.Status(code: error.status), pages.page("notFound", ["message": error.message], pageTitle: "Error", section: nil)))
        } catch {
            return .complete(.html(.internalServerError, pages.page("notFound", ["message": "the engine's state could not be read: \(error)"], pageTitle: "Error", section: nil)))
        }
    }

    private func notFound(_ message: String) -> HTTPResponseMessage {
        .html(.notFound, pages.page("notFound", ["message": message], pageTitle: "Not found", section: nil))
    }

    // MARK: Runs

    private func runsPage(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let query = try RunQuery(request, engine: engine)
        let page = try await engine.runs(matching: query.filter, after: query.cursor, limit: query.limit)
        let table = tableHTML(page.items)
        let listings = engine.functionListings
        let context: [String: Any] = [
            "statuses": RunStatus.allCases.map { ["value": $0.rawValue, "selected": query.status == $0.rawValue] as [String: Any] },
            "functions": listings.map { ["value": $0.compositeID, "selected": query.functionID == $0.compositeID] as [String: Any] },
            "apps": Array(Set(listings.map(\.appID))).sorted().map { ["value": $0, "selected": query.appID == $0] as [String: Any] },
            "eventName": query.eventName, "createdAfter": query.createdAfter, "createdBefore": query.createdBefore,
            "query": query.queryString, "live": query.cursor == nil, "table": table, "version": Self.version(of: table),
            "nextCursor": page.nextCursor ?? "",
        ]
        return .html(.ok, pages.page("runs", context, pageTitle: "Runs", section: "runs"))
    }

    private func runsTable(_ query: RunQuery) async throws -> (html: String, final: Bool) {
        let page = try await engine.runs(matching: query.filter, after: nil, limit: query.limit)
        return (tableHTML(page.items), false)
    }

    private func tableHTML(_ runs: [RunSummary]) -> String {
        let now = Date()
        return pages.fragment(
            "runsTable",
            [
                "runs": runs.map { run -> [String: Any] in
                    var row: [String: Any] = [
                        "id": run.id, "functionID": engine.compositeID(ofFunction: run.functionID), "status": run.status.rawValue,
                        "created": Format.time(run.createdAt),
                        "duration": Format.duration(from: run.startedAt ?? run.createdAt, to: run.endedAt ?? (run.status.isFinal ? nil : now)),
                    ]
                    if let eventID = run.eventID { row["eventID"] = eventID }
                    return row
                }
            ])
    }

    private func runPage(_ runID: String) async throws -> HTTPResponseMessage {
        let fragment = try await runDetailFragment(runID)
        let context: [String: Any] = [
            "id": runID, "detail": fragment.html, "live": fragment.final ? "" : "\(base)/live/runs/\(runID)", "version": Self.version(of: fragment.html),
        ]
        return .html(.ok, pages.page("run", context, pageTitle: "Run \(runID)", section: "runs"))
    }

    private func runDetailFragment(_ runID: String) async throws -> (html: String, final: Bool) {
        guard let detail = try await engine.run(id: runID) else { throw APIError(404, "no run has the id \(runID)") }
        let view = RunView(
            detail: detail, base: base, compositeID: engine.compositeID(ofFunction: detail.run.functionID),
            canRerun: engine.functionKey(for: detail.run.functionID) != nil, now: Date())
        return (pages.fragment("runDetail", view.context), detail.run.status.isFinal)
    }

    // MARK: Functions, apps, events

    private func functionsPage() -> HTTPResponseMessage {
        let functions = engine.functionListings.map { listing -> [String: Any] in
            ["id": listing.compositeID, "appID": listing.appID, "triggers": Self.triggers(listing.configuration)]
        }
        return .html(.ok, pages.page("functions", ["functions": functions], pageTitle: "Functions", section: "functions"))
    }

    private func functionPage(_ id: String) -> HTTPResponseMessage {
        guard let listing = engine.functionListings.first(where: { $0.compositeID == id || $0.key == id }) else {
            return notFound("no function with the id \(id) is registered")
        }
        let json = RunJSON.function(listing, manifest: dashboard.configuration.stepManifests[listing.compositeID])
        var context: [String: Any] = [
            "id": listing.compositeID, "name": listing.configuration.name ?? listing.configuration.id, "appID": listing.appID,
            "triggers": Self.triggers(listing.configuration), "configuration": JSONDisplay.text(json["configuration"] ?? .null),
        ]
        if let url = listing.url { context["url"] = url }
        if let manifest = json["step_manifest"] { context["manifest"] = JSONDisplay.text(manifest) }
        return .html(.ok, pages.page("function", context, pageTitle: listing.compositeID, section: "functions"))
    }

    static func triggers(_ configuration: FunctionConfiguration) -> String {
        configuration.triggers.map { trigger in
            switch trigger.kind {
            case .event(let name, let expression): return "event \(name)" + (expression.map { " if \($0)" } ?? "")
            case .cron(let schedule, _): return "cron \(schedule)"
            }
        }.joined(separator: ", ")
    }

    private func appsPage() async throws -> HTTPResponseMessage {
        let canResync = dashboard.configuration.resyncApp != nil
        let apps = try await engine.syncedApps().map { app -> [String: Any] in
            [
                "appID": app.appID, "url": app.url, "sdk": app.sdk ?? "", "syncedAt": Format.time(app.syncedAt),
                "functionCount": app.functionIDs.count, "canResync": canResync,
                "resyncBody": (try? JSONText.write(["url": .string(app.url)])) ?? "{}",
            ]
        }
        return .html(.ok, pages.page("apps", ["apps": apps], pageTitle: "Apps", section: "apps"))
    }

    private func eventsPage(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let name = request.query("name").flatMap { $0.isEmpty ? nil : $0 }
        let page: Page<StoredEvent>
        do {
            page = try await engine.events(named: name, after: request.query("cursor").flatMap { $0.isEmpty ? nil : $0 }, limit: try RunQuery.limit(request))
        } catch let error as InvalidCursor {
            throw APIError(400, error.description)
        }
        let runs = try await engine.runs(startedByEvents: page.items.map(\.internalID))
        let events = page.items.map { stored -> [String: Any] in
            [
                "id": stored.internalID, "name": stored.event.name, "received": Format.time(stored.receivedAt),
                "runs": (runs[stored.internalID] ?? []).map(runLink),
            ]
        }
        return .html(.ok, pages.page("events", ["events": events, "name": name ?? "", "nextCursor": page.nextCursor ?? ""], pageTitle: "Events", section: "events"))
    }

    private func eventPage(_ eventID: String) async throws -> HTTPResponseMessage {
        guard let stored = try await engine.event(id: eventID) else { return notFound("no event has the id \(eventID)") }
        let runs = try await engine.runs(startedByEvent: eventID)
        let context: [String: Any] = [
            "id": stored.internalID, "name": stored.event.name, "received": Format.time(stored.receivedAt),
            "json": JSONDisplay.text((try? JSONCodec.shared.jsonValue(of: stored.event)) ?? .null), "runs": runs.map(runLink),
        ]
        return .html(.ok, pages.page("event", context, pageTitle: stored.event.name, section: "events"))
    }

    private func runLink(_ run: RunSummary) -> [String: Any] {
        ["id": run.id, "functionID": engine.compositeID(ofFunction: run.functionID), "status": run.status.rawValue]
    }

    // MARK: Login

    private func login(_ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        guard let key = dashboard.configuration.signingKey else { return .redirect(to: "\(base)/runs") }
        if request.method == .post {
            let form = URLComponents(string: "?" + String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "+", with: "%20"))
            let presented = form?.queryItems?.first { $0.name == "key" }?.value ?? ""
            if !presented.isEmpty, key.acceptsBearer(presented) {
                return .redirect(to: "\(base)/runs", headers: [.setCookie: dashboard.access.loginCookie(for: key)])
            }
            return .html(.unauthorized, pages.page("login", ["error": "That is not this server's signing key."], pageTitle: "Sign in", section: nil))
        }
        return .html(.ok, pages.page("login", [:], pageTitle: "Sign in", section: nil))
    }

    // MARK: Live

    /// Server-sent events: the fragment now, then again after each commit that changes it
    /// (commits in quick succession fold into one render); ends with an `end` event once
    /// the fragment says nothing more will change, when the engine stops, and on the graceful
    /// shutdown of the service that serves the request (an HTTP server waits for its open
    /// responses before it stops, so a stream that waited for the engine would hold it up).
    private func live(_ render: @escaping @Sendable () async throws -> (html: String, final: Bool)) -> AsyncStream<String> {
        let commits = engine.changes.commits()
        return AsyncStream { continuation in
            let task = Task {
                try? await cancelWhenGracefulShutdown {
                    var last = ""
                    var iterator = commits.makeAsyncIterator()
                    repeat {
                        guard let fragment = try? await render() else { break }
                        if fragment.html != last {
                            last = fragment.html
                            continuation.yield(Self.frame(fragment.html))
                        }
                        if fragment.final {
                            continuation.yield("event: end\ndata: end\n\n")
                            break
                        }
                        // At most ten renders a second, however often the engine commits.
                        try? await Task.sleep(for: .milliseconds(100))
                    } while await iterator.next() != nil && !Task.isCancelled
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// One server-sent event whose data is `html` (each line its own `data:` line), with the
    /// fragment's version as its id: the page skips a frame with the version it already shows
    /// (the first frame after it connects, mostly), so its elements are not replaced for nothing.
    static func frame(_ html: String) -> String {
        "id: \(version(of: html))\n" + html.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n") + "\n\n"
    }

    /// A fragment's version: its hash, the same for the page and its stream within a process.
    static func version(of html: String) -> String {
        String(UInt(bitPattern: html.hashValue), radix: 36)
    }
}
