import Hummingbird
import Inngest
import InngestEngine
// snippet: dashboard
import InngestDashboardHummingbird

// snippet: hide
func mountTheDashboard(on router: Router<BasicRequestContext>, engine: Engine, adminKey: String) throws {
    // snippet: show
    router.addInngestDashboard(engine, at: "/inngest", signingKey: SigningKey(adminKey))
    // snippet: hide
}
// snippet: end
