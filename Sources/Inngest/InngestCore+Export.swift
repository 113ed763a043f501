// Options, triggers, time strings, cron, expressions and JSON live in InngestCore, which the
// build plugin's generator shares; `import Inngest` is all user code writes.
@_exported import InngestCore
