/// The page frame and the login page. Mustache: `{{x}}` is escaped HTML text, `{{{x}}}` is
/// HTML this renderer made (a rendered fragment), never a value from a run or an event.
enum LayoutTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{pageTitle}} · {{title}}</title>
        <link rel="stylesheet" href="{{base}}/assets/dashboard.css">
        <script src="{{base}}/assets/dashboard.js" defer></script>
        </head>
        <body data-base="{{base}}">
        <header class="top">
          <a class="brand" href="{{base}}/runs">{{title}}</a>
          <nav>
            {{#nav}}<a href="{{base}}/{{path}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}
          </nav>
        </header>
        <main>
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <h1>Sign in</h1>
        <p>This dashboard is protected by the server's signing key.</p>
        <form class="card" method="post" action="{{base}}/login">
          <label>Signing key <input type="password" name="key" autocomplete="off" required></label>
          {{#error}}<p class="form-error" role="alert">{{error}}</p>{{/error}}
          <button type="submit">Sign in</button>
        </form>
        """

    static let notFound = """
        <h1>Not found</h1>
        <p class="muted">{{message}}</p>
        <p><a href="{{base}}/runs">All runs</a></p>
        """
}
