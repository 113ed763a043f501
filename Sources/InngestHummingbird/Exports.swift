// `import InngestHummingbird` brings the transport too, as it did when it lived here.
@_exported import InngestAsyncHTTPClient
