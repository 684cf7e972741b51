@_spi(FlameHubTools) @testable import FlameHub
@testable import FlameHubEmulator
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where the SDK and the emulator meet. Most helpers exist once, in the SDK; where each side keeps
/// its own code on purpose (the emulator imitates the Hub, which the SDK reads or writes for),
/// these tests prove the two agree on every input both of them see.
@Suite struct SeamTests {
    /// The versions the emulator reports are read by the SDK as the generation it emulates, with
    /// the key casing, envelopes and filter grammar the emulator serves. (The emulator states its
    /// casing per generation instead of deriving it from the SDK's version rules, so this checks
    /// those rules.)
    @Test(arguments: HubGeneration.allCases)
    func reportedVersionsMapToTheEmulatedDialect(generation: HubGeneration) {
        let dialects = [
            (HubService.core, HubDialect.hub(version: generation.hubVersion)),
            (.auth, .auth(version: generation.authupVersion)),
        ]
        for (service, dialect) in dialects {
            #expect(dialect.generation == generation)
            #expect(dialect.keyCasing == generation.keyCasing(of: service))
            #expect(dialect.envelopesRecords == (generation == .current))
            #expect(dialect.filterGrammar == (generation.filterDialect(of: service) == .legacy ? .rapiq09 : .rapiq2))
        }
    }

    /// Two copies on purpose: the emulator trims like JavaScript's `String.prototype.trim()` (the
    /// Hub runs on Node), the SDK only the ASCII white space of headers and version strings. They
    /// agree on ASCII white space; only the emulator strips Unicode spaces.
    @Test func trimmingAgreesOnASCIIWhiteSpace() {
        let inputs = ["", " ", "\t\t", "token", "  token", "token\t", "\r\n token \r\n", "\n\rtoken", " two words "]
        for input in inputs {
            #expect(input.trimmingWhitespace() == input.trimmingSpaces(), "\(input.debugDescription)")
        }
        #expect("\u{00A0}token\u{2003}".trimmingWhitespace() == "token")
        #expect("\u{00A0}token".trimmingSpaces() == "\u{00A0}token")
    }

    /// The SDK percent-encodes query components, the emulator decodes them as the Hub's `qs` does
    /// (`+` = space): every text comes back unchanged, a `+` included.
    @Test func queryComponentsRoundTrip() {
        let texts = [
            "plain", "a+b", "with space", "~x~", "!null", "a,b", "100%", "ümlaut/ß", "realm.name", "-createdAt",
        ]
        for text in texts {
            #expect(QueryItems.decode(PercentEncoding.encode(text)[...]) == text)
        }
    }

    /// A filter the SDK renders for a generation's grammar selects, in the emulator's parser, the
    /// records the SDK's operator promises.
    @Test(arguments: HubGeneration.allCases)
    func renderedFiltersSelectWhatTheyPromise(generation: HubGeneration) throws {
        let grammar: FilterGrammar = generation == .legacy ? .rapiq09 : .rapiq2
        func selected(_ filter: FilterValue, from values: [EmulatorJSON]) throws -> [EmulatorJSON] {
            let text = try filter.render(grammar, key: "name")
            let condition = try #require(FilterCondition.parse(path: ["name"], values: [text], generation: generation))
            return values.filter { condition.matches($0.isNull ? nil : $0) }
        }
        let names: [EmulatorJSON] = ["node-1", "node-12", "my-node", nil]
        #expect(try selected(.equals("node-1"), from: names) == ["node-1"])
        #expect(try selected(.not(.equals("node-1")), from: names).contains("node-12"))
        #expect(try selected(.startsWith("node"), from: names) == ["node-1", "node-12"])
        #expect(try selected(.in(["node-1", "my-node"]), from: names) == ["node-1", "my-node"])
        #expect(try selected(.isNull, from: names) == [nil])
        #expect(try selected(.isNotNull, from: names) == ["node-1", "node-12", "my-node"])
        if grammar == .rapiq2 {
            #expect(try selected(.endsWith("node"), from: names) == ["my-node"])
            #expect(try selected(.contains("de-1"), from: names) == ["node-1", "node-12"])
        }
        let sizes: [EmulatorJSON] = [1, 5, 10]
        #expect(try selected(.gt(5), from: sizes) == [10])
        #expect(try selected(.le(5), from: sizes) == [1, 5])
    }

    /// Two JSON types on purpose (see ``EmulatorJSON``): what the emulator serialises, the SDK's
    /// decoder reads as the same value — integers, escapes and nesting included.
    @Test func emulatorJSONReadsBackInTheSDK() throws {
        let value: EmulatorJSON = [
            "id": "6f1c0a3e-2b4d-4c5e-8f90-123456789abc", "size": 1_746_439_872_250, "ratio": 0.25, "whole": 2.0,
            "flags": [true, false, nil], "text": "quote \" backslash \\ tab \t bell \u{7} ümlaut €",
            "nested": ["empty": [:], "list": []],
        ]
        let decoded = try FastJSONDecoder().decode(JSONValue.self, from: Array(value.serialized().utf8))
        #expect(decoded == Self.sdkValue(value))
    }

    /// Timestamps the emulator writes (with the SDK's formatter) are the Hub's format and parse
    /// back to the millisecond.
    @Test func emulatorTimestampsParseBack() throws {
        #expect(Support.timestamp(1_746_439_872.25) == "2025-05-05T10:11:12.250Z")
        #expect(Support.timestamp(951_782_400.5) == "2000-02-29T00:00:00.500Z")
        for seconds in [0, 951_782_400.5, 1_746_439_872.25, 4_102_444_799.75] {
            let date = try #require(ISO8601.parse(Support.timestamp(seconds)))
            #expect(date.timeIntervalSince1970 == seconds)
        }
    }

    static func sdkValue(_ value: EmulatorJSON) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .number(Double(number))
        case .double(let number): .number(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(sdkValue))
        case .object(let members): .object(members.mapValues(sdkValue))
        }
    }
}
