import FlameHub
import Hummingbird

extension HubEmulator {
    /// Every route the emulator serves in `generation`, one `SERVICE METHOD /path` line each
    /// (`core POST /analyses/:id/command`, `auth GET /realms/:realmId/users/:id`), sorted.
    ///
    /// Read off the same service definitions that answer requests (hand-written routes, then the
    /// generic engine's operations per resource, self aliases and realm-scoped mounts), so the
    /// list cannot drift from what is served; `Tools/scripts/route-inventory` prints it into
    /// docs/RouteCoverage.md (`flame-hub-emulator --list-routes`).
    @_spi(FlameHubTools) public static func routeTable(generation: HubGeneration) -> [String] {
        var lines = Set<String>()
        for module in EmulatorCore.modules {
            let service = module.definition(generation: generation, configuration: Configuration())
            func add(_ method: HTTPRequest.Method, _ path: String) {
                lines.insert("\(service.name) \(method.rawValue) \(path.isEmpty ? "/" : path)")
            }
            for route in service.routes {
                let path = route.pattern.segments.map { segment in
                    switch segment {
                    case .literal(let literal): "/" + literal
                    case .parameter(let name): "/:" + name
                    }
                }
                for method in route.methods { add(method, path.joined()) }
            }
            for resource in service.resources {
                var prefixes = ["/" + resource.path]
                if service.realmScopedPaths.contains(resource.path) {
                    prefixes.append("/realms/:realmId/" + resource.path)
                }
                for prefix in prefixes {
                    for operation in resource.operations {
                        switch operation {
                        case .list: add(.get, prefix)
                        case .create: add(.post, prefix)
                        case .read: add(.get, prefix + "/:id")
                        case .update: add(.post, prefix + "/:id")
                        case .replace: add(.put, prefix + "/:id")
                        case .delete: add(.delete, prefix + "/:id")
                        }
                    }
                    if resource.operations.contains(.read) {
                        for alias in resource.selfAliases.keys { add(.get, prefix + "/" + alias) }
                    }
                }
            }
        }
        return lines.sorted()
    }
}
