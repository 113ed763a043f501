/// The runs list and the run page.
enum RunTemplates {
    static let runs = """
        <h1>Runs</h1>
        <form class="filters" method="get" action="{{base}}/runs">
          <label>Status <select name="status"><option value="">any</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statuses}}</select></label>
          <label>Function <select name="function_id"><option value="">any</option>{{#functions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/functions}}</select></label>
          <label>App <select name="app_id"><option value="">any</option>{{#apps}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/apps}}</select></label>
          <label>Event <input name="event" value="{{eventName}}" placeholder="app/user.created"></label>
          <label>From (UTC) <input type="datetime-local" name="created_after" value="{{createdAfter}}"></label>
          <label>Until (UTC) <input type="datetime-local" name="created_before" value="{{createdBefore}}"></label>
          <button type="submit">Filter</button>
          <a class="button secondary" href="{{base}}/runs">Clear</a>
        </form>
        <div class="bulk">
          <button type="button" class="danger" data-post="{{base}}/v1/runs/bulk-cancel?{{query}}" data-label="cancel">Cancel every live run matching this filter</button>
          <span class="form-error" role="alert"></span>
        </div>
        {{#live}}<div data-live="{{base}}/live/runs?{{query}}" data-live-version="{{version}}">{{/live}}{{^live}}<div>{{/live}}
        {{{table}}}
        </div>
        {{#nextCursor}}<p class="pager"><a href="{{base}}/runs?{{query}}&amp;cursor={{nextCursor}}">Older runs →</a></p>{{/nextCursor}}
        """

    static let runsTable = """
        <table class="runs">
          <thead><tr><th>Run</th><th>Function</th><th>Status</th><th>Created (UTC)</th><th>Duration</th><th>Event</th></tr></thead>
          <tbody>
          {{#runs}}
            <tr data-run="{{id}}"><td><a class="mono" href="{{base}}/runs/{{id}}">{{id}}</a></td><td><a href="{{base}}/functions/{{functionID}}">{{functionID}}</a></td>
            <td><span class="status s-{{status}}">{{status}}</span></td><td class="mono">{{created}}</td><td>{{duration}}</td>
            <td>{{#eventID}}<a href="{{base}}/events/{{eventID}}" class="mono">{{eventID}}</a>{{/eventID}}</td></tr>
          {{/runs}}
          {{^runs}}<tr><td colspan="6" class="muted">No runs match.</td></tr>{{/runs}}
          </tbody>
        </table>
        """

    static let run = """
        <p class="crumbs"><a href="{{base}}/runs">Runs</a> / <span class="mono">{{id}}</span></p>
        <div data-live="{{live}}" data-live-version="{{version}}">
        {{{detail}}}
        </div>
        """

    static let runDetail = """
        <h1><a href="{{base}}/functions/{{functionID}}">{{functionID}}</a> <span class="status s-{{status}}" data-run-status>{{status}}</span></h1>
        <dl class="facts">
          <dt>Run</dt><dd class="mono">{{id}}</dd>
          <dt>Created</dt><dd class="mono">{{created}}</dd>
          <dt>Ended</dt><dd class="mono">{{ended}}</dd>
          <dt>Duration</dt><dd>{{duration}}</dd>
          {{#eventID}}<dt>Event</dt><dd><a class="mono" href="{{base}}/events/{{eventID}}">{{eventID}}</a></dd>{{/eventID}}
          {{#parentRunID}}<dt>Invoked by</dt><dd><a class="mono" href="{{base}}/runs/{{parentRunID}}">{{parentRunID}}</a></dd>{{/parentRunID}}
          {{#rerunOf}}<dt>Rerun of</dt><dd><a class="mono" href="{{base}}/runs/{{rerunOf}}">{{rerunOf}}</a></dd>{{/rerunOf}}
        </dl>
        <div class="actions">
          {{#isLive}}<button type="button" class="danger" data-post="{{base}}/v1/runs/{{id}}/cancel" data-label="cancel-run">Cancel run</button>{{/isLive}}
          {{#canRerun}}<button type="button" data-post="{{base}}/v1/runs/{{id}}/rerun" data-label="rerun">Rerun from the start</button>{{/canRerun}}
          <span class="form-error" role="alert"></span>
        </div>
        {{#hasFailedAttempts}}<h2>Failed attempts of the function</h2>
        {{#failedAttempts}}<div class="attempt" data-run-attempt="{{number}}"><span class="muted">Attempt {{number}} failed ({{when}}):</span><pre>{{error}}</pre></div>{{/failedAttempts}}{{/hasFailedAttempts}}
        <h2>Timeline</h2>
        <div class="timeline" data-timeline>
          <div class="scale"><span>0 ms</span><span>{{span}}</span></div>
          {{#bars}}
          <div class="lane" data-step="{{name}}" data-step-status="{{status}}">
            <div class="lane-label"><span class="kind k-{{kind}}">{{kind}}</span> {{name}}</div>
            <svg class="track" viewBox="0 0 1000 12" preserveAspectRatio="none" role="img" aria-label="{{name}}: {{timing}}">
              {{#attempts}}<rect class="attempt-failed" x="{{x}}" y="1" width="{{width}}" height="10"><title>attempt {{number}} failed</title></rect>{{/attempts}}
              <rect class="bar k-{{kind}} s-{{status}}" x="{{x}}" y="1" width="{{width}}" height="10"><title>{{timing}}</title></rect>
            </svg>
            <div class="lane-note">{{timing}}</div>
          </div>
          {{/bars}}
          {{^bars}}<p class="muted">No steps yet.</p>{{/bars}}
        </div>
        <h2>Steps</h2>
        {{#steps}}
        <details class="step" data-step-detail="{{name}}"{{#open}} open{{/open}}>
          <summary><span class="kind k-{{kind}}">{{kind}}</span> <strong>{{name}}</strong> <span class="status s-{{status}}">{{status}}</span> <span class="muted">{{attempts}} · {{timing}}</span>{{#reused}} <span class="tag">reused</span>{{/reused}}</summary>
          <dl class="facts">
            <dt>Step id</dt><dd class="mono">{{id}}</dd>
            {{#waitsFor}}<dt>Waits for</dt><dd>{{waitsFor}}</dd>{{/waitsFor}}
            {{#until}}<dt>Until</dt><dd class="mono">{{until}}</dd>{{/until}}
            {{#childRunID}}<dt>Invoked run</dt><dd><a class="mono" href="{{base}}/runs/{{childRunID}}">{{childRunID}}</a></dd>{{/childRunID}}
          </dl>
          {{#failedAttempts}}<div class="attempt"><span class="muted">Attempt {{number}} failed ({{when}}):</span><pre>{{error}}</pre></div>{{/failedAttempts}}
          {{#output}}<h3>Output</h3><pre class="json">{{output}}</pre>{{/output}}
          {{#error}}<h3>Error</h3><pre class="json error">{{error}}</pre>{{/error}}
          {{#canRerun}}<button type="button" data-post="{{base}}/v1/runs/{{runID}}/rerun" data-body="{{rerunBody}}" data-label="rerun-from">Rerun from this step</button>{{/canRerun}}
        </details>
        {{/steps}}
        {{#output}}<h2>Output</h2><pre class="json" data-run-output>{{output}}</pre>{{/output}}
        {{#error}}<h2>Error</h2><pre class="json error" data-run-error>{{error}}</pre>{{/error}}
        <h2>Events</h2>
        {{#events}}<pre class="json">{{json}}</pre>{{/events}}
        """
}
