// `import InngestVapor` brings the transport an app's client calls out through.
@_exported import InngestAsyncHTTPClient
