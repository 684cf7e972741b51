// The fixtures (subprocesses, nginx, tinyproxy, certificates, loopback ports) live in
// FlameHubTestSupport, shared with the CLI and codegen tests; re-exported for every file here.
@_exported import FlameHubTestSupport
