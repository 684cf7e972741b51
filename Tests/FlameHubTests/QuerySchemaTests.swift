import FlameHub
import FlameHubTesting
import Testing

/// `meta.schema` as each Hub release sends it: 0.14.0's full description (rapiq 2.2,
/// docs/src/guide/development/api.md at v0.14.0), 0.13's `sort` block, none before 0.13.
@Suite("meta.schema of list responses")
struct QuerySchemaTests {
    /// The `GET /nodes` description of Hub v0.14.0 (docs/src/guide/development/api.md).
    static let nodeSchema = """
        {"name":"node","strict":true,"indexes":null,\
        "fields":{"default":["id","name"],"allowed":["id","name","publicKey"]},\
        "filters":{"allowed":["id","name","online"],"caseSensitive":null,"indexed":false},\
        "pagination":{"maxLimit":50},\
        "relations":{"allowed":["registryProject","registry"],\
        "schemas":{"registryProject":"registryProject","registry":"registry"}},\
        "sorts":{"allowed":["name","updatedAt"],"default":{"updatedAt":"DESC"},"indexed":false}}
        """

    static func list(schema: String?) -> String {
        let schemaText = schema.map { #","schema":\#($0)"# } ?? ""
        return #"{"data":[\#(Fixture.realmCurrent())],"meta":{"total":1,"limit":50,"offset":0\#(schemaText)}}"#
    }

    @Test func hub014DescriptionIsExposed() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(200, Self.list(schema: Self.nodeSchema)))
        let realms = try await Fixture.authClient(mock, dialect: .current).realms.list()
        let schema = try #require(realms.meta.schema)
        #expect(schema.name == "node")
        #expect(schema.strict == true)
        #expect(schema.indexes == nil)
        #expect(schema.fields?.defaults == ["id", "name"])
        #expect(schema.fields?.allowed == ["id", "name", "publicKey"])
        #expect(schema.filters?.allowed == ["id", "name", "online"])
        #expect(schema.filters?.caseSensitive == nil)
        #expect(schema.filters?.indexed == false)
        #expect(schema.pagination?.maxLimit == 50)
        #expect(schema.relations?.allowed == ["registryProject", "registry"])
        #expect(schema.relations?.schemas?["registryProject"] == "registryProject")
        #expect(schema.sorts?.allowed == ["name", "updatedAt"])
        #expect(schema.sorts?.defaults == ["updatedAt": "DESC"])
        #expect(schema.sorts?.indexed == false)
        #expect(realms.meta.total == 1 && realms.meta.limit == 50 && realms.meta.offset == 0)
    }

    @Test func hub013SortBlockIsReadAsSorts() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(200, Self.list(schema: #"{"name":"node","sort":{"allowed":["name"],"default":null}}"#)))
        let realms = try await Fixture.authClient(mock, dialect: .current).realms.list()
        let sorts = try #require(realms.meta.schema?.sorts)
        #expect(sorts.allowed == ["name"])
        #expect(sorts.defaults == nil)
        #expect(sorts.indexed == nil)
    }

    @Test func olderReleasesHaveNoSchema() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(200, Fixture.list([Fixture.realmLegacy()], total: 1)))
        let realms = try await Fixture.authClient(mock, dialect: .legacy).realms.list()
        #expect(realms.meta == ListMeta(total: 1, limit: 50, offset: 0))
        #expect(realms.meta.schema == nil)
    }

    @Test func unknownSchemaShapeDoesNotFailThePage() async throws {
        let mock = MockTransport()
        mock.enqueue(.json(200, Self.list(schema: #"{"name":7,"fields":"everything"}"#)))
        let realms = try await Fixture.authClient(mock, dialect: .current).realms.list()
        #expect(realms.count == 1)
        #expect(realms.meta.total == 1)
        #expect(realms.meta.schema == nil)
    }

    @Test func undeclaredListsStayNil() async throws {
        let mock = MockTransport()
        let groups =
            #"{"name":"masterImageGroup","relations":{"allowed":null,"schemas":null},"sorts":{"allowed":null}}"#
        mock.enqueue(.json(200, Self.list(schema: groups)))
        let realms = try await Fixture.authClient(mock, dialect: .current).realms.list()
        let schema = try #require(realms.meta.schema)
        #expect(schema.relations?.allowed == nil)
        #expect(schema.relations?.schemas == nil)
        #expect(schema.sorts?.allowed == nil)
        #expect(schema.filters == nil)
    }
}
