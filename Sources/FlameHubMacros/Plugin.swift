import SwiftCompilerPlugin
import SwiftSyntaxMacros

@main
struct FlameHubMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [ResourceMethodsMacro.self, PublicMemberwiseInitMacro.self]
}
