/// Functions, apps and events.
enum CatalogTemplates {
    static let functions = """
        <h1>Functions</h1>
        <table>
          <thead><tr><th>Function</th><th>App</th><th>Triggers</th></tr></thead>
          <tbody>
          {{#functions}}<tr><td><a href="{{base}}/functions/{{id}}">{{id}}</a></td><td>{{appID}}</td><td>{{triggers}}</td></tr>{{/functions}}
          {{^functions}}<tr><td colspan="3" class="muted">No functions.</td></tr>{{/functions}}
          </tbody>
        </table>
        """

    static let function = """
        <p class="crumbs"><a href="{{base}}/functions">Functions</a> / {{id}}</p>
        <h1>{{name}}</h1>
        <dl class="facts">
          <dt>Id</dt><dd class="mono">{{id}}</dd><dt>App</dt><dd>{{appID}}</dd>
          <dt>Triggers</dt><dd>{{triggers}}</dd>
          {{#url}}<dt>URL</dt><dd class="mono">{{url}}</dd>{{/url}}
        </dl>
        <p><a href="{{base}}/runs?function_id={{id}}">Runs of this function →</a></p>
        <h2>Invoke</h2>
        <form class="card" data-api="{{base}}/v1/functions/{{id}}/invoke" data-label="invoke">
          <label>Data (JSON object) <textarea name="data" data-json rows="6">{}</textarea></label>
          <p class="form-error" role="alert"></p>
          <button type="submit">Invoke</button>
        </form>
        <h2>Configuration</h2>
        <pre class="json">{{configuration}}</pre>
        <h2>Step manifest</h2>
        {{#manifest}}<pre class="json">{{manifest}}</pre>{{/manifest}}
        {{^manifest}}<p class="muted">No step manifest is known for this function (pass the app's manifest with --manifest).</p>{{/manifest}}
        """

    static let apps = """
        <h1>Apps</h1>
        <table>
          <thead><tr><th>App</th><th>URL</th><th>SDK</th><th>Last sync (UTC)</th><th>Functions</th><th></th></tr></thead>
          <tbody>
          {{#apps}}<tr><td>{{appID}}</td><td class="mono">{{url}}</td><td>{{sdk}}</td><td class="mono">{{syncedAt}}</td><td>{{functionCount}}</td>
            <td>{{#canResync}}<button type="button" data-post="{{base}}/v1/apps/resync" data-body="{{resyncBody}}" data-label="resync">Resync</button><span class="form-error" role="alert"></span>{{/canResync}}</td></tr>{{/apps}}
          {{^apps}}<tr><td colspan="6" class="muted">No app is synced. Apps sync with <code>POST /fn/register</code>, or start the server with <code>-u URL</code>.</td></tr>{{/apps}}
          </tbody>
        </table>
        """

    static let events = """
        <h1>Events</h1>
        <form class="card" data-api="{{base}}/v1/events" data-label="send-event">
          <h2>Send an event</h2>
          <label>Name <input name="name" required placeholder="app/user.created"></label>
          <label>Data (JSON object) <textarea name="data" data-json rows="5">{}</textarea></label>
          <p class="form-error" role="alert"></p>
          <button type="submit">Send</button>
        </form>
        <form class="filters" method="get" action="{{base}}/events">
          <label>Name <input name="name" value="{{name}}"></label><button type="submit">Filter</button>
        </form>
        <table>
          <thead><tr><th>Event</th><th>Name</th><th>Received (UTC)</th><th>Runs</th></tr></thead>
          <tbody>
          {{#events}}<tr><td><a class="mono" href="{{base}}/events/{{id}}">{{id}}</a></td><td>{{name}}</td><td class="mono">{{received}}</td>
            <td>{{#runs}}<a class="mono" href="{{base}}/runs/{{id}}">{{functionID}}</a> <span class="status s-{{status}}">{{status}}</span><br>{{/runs}}</td></tr>{{/events}}
          {{^events}}<tr><td colspan="4" class="muted">No events.</td></tr>{{/events}}
          </tbody>
        </table>
        {{#nextCursor}}<p class="pager"><a href="{{base}}/events?name={{name}}&amp;cursor={{nextCursor}}">Older events →</a></p>{{/nextCursor}}
        """

    static let event = """
        <p class="crumbs"><a href="{{base}}/events">Events</a> / <span class="mono">{{id}}</span></p>
        <h1>{{name}}</h1>
        <dl class="facts"><dt>Received</dt><dd class="mono">{{received}}</dd></dl>
        <h2>Runs it started</h2>
        <ul>{{#runs}}<li><a class="mono" href="{{base}}/runs/{{id}}">{{id}}</a> {{functionID}} <span class="status s-{{status}}">{{status}}</span></li>{{/runs}}{{^runs}}<li class="muted">None.</li>{{/runs}}</ul>
        <h2>Event</h2>
        <pre class="json">{{json}}</pre>
        """
}
