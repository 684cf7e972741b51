import ArgumentParser
import FlameHub

/// `flamehub`: every resource of the Hub's auth, core and storage services from a shell.
@main
struct FlameHubCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "flamehub",
            abstract: "The FLAME Hub from a shell: every resource of its auth, core and storage services.",
            discussion: """
                Examples:
                  flamehub nodes list --hub http://localhost:3000/ --filter name=~my --sort -createdAt --limit 10
                  flamehub nodes create --set name=my-node --set hidden=true --json
                  flamehub analyses command ID buildStart
                  flamehub buckets upload BUCKET results/ model.pt
                  flamehub buckets download BUCKET -o out/

                Settings come from flags, else the environment (FLAME_HUB_URL, FLAME_HUB_USERNAME and \
                FLAME_HUB_PASSWORD (FLAME_HUB_OTP for a second factor), FLAME_HUB_ROBOT_ID and \
                FLAME_HUB_ROBOT_SECRET, FLAME_HUB_CLIENT_ID and FLAME_HUB_CLIENT_SECRET, FLAME_HUB_TOKEN, …), else the configuration file \
                ($XDG_CONFIG_HOME/flamehub/config.json or --config). Each command's --help lists them. \
                The configuration file is one JSON object with any of the keys \
                \(ConfigFile.keys.sorted().joined(separator: ", ")).

                \(ExitStatus.summary)
                """,
            version: FlameHubVersion.sdk,
            subcommands: ResourceTable.entries.map(\.group) + [TokenGroup.self, MessagesGroup.self])
    }
}
