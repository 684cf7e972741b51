"""The nginx fixtures of Benchmarks/run and Benchmarks/profile: what a current Hub answers
(camelCase, ISO-8601 with milliseconds, {data, meta} envelopes with meta.schema; see
/work/shared/docs/hub-core-storage-api.md). Writes ROOT/node.json (one node), ROOT/page.json
(a 50-node page) and ROOT/pages/<offset>.json (TOTAL nodes in pages of 50); prints the node's id.
Usage: python3 fixtures.py ROOT TOTAL"""
import json, sys, uuid
root, total = sys.argv[1], int(sys.argv[2])
def node(index):
    ident = str(uuid.UUID(int=index + 1))
    return {"id": ident, "name": f"node-{index}", "externalName": f"node-{index}-ext",
            "publicKey": "2d2d2d2d2d424547494e205055424c4943204b45592d2d2d2d2d", "hidden": False,
            "type": "default", "online": True, "registryId": None, "registryProjectId": None,
            "clientId": ident, "realmId": "794f2375-f043-4789-bd0c-e5534e8deeaa",
            "registry": None, "registryProject": None,
            "createdAt": "2025-05-19T15:43:57.859Z", "updatedAt": "2025-05-19T15:43:57.859Z"}
# What Hub 0.13+ puts in every meta: the entity's query vocabulary (abridged).
schema = {"name": "node", "fields": {"allowed": ["id", "name", "externalName", "publicKey", "online", "hidden",
          "type", "registryId", "registryProjectId", "clientId", "realmId", "createdAt", "updatedAt"]},
          "filters": {"allowed": ["id", "name", "hidden", "realmId", "online", "type"]},
          "relations": {"allowed": ["registryProject", "registry"]},
          "sort": {"allowed": ["name", "createdAt", "updatedAt"]}, "pagination": {"maxLimit": 50}}
def write(path, value):
    with open(path, "w") as f: json.dump(value, f, separators=(",", ":"))
write(f"{root}/node.json", {"data": node(0), "meta": {"schema": schema}})
write(f"{root}/page.json", {"data": [node(i) for i in range(50)], "meta": {"total": 50, "limit": 50, "offset": 0, "schema": schema}})
for offset in range(0, total, 50):
    write(f"{root}/pages/{offset}.json", {"data": [node(i) for i in range(offset, offset + 50)],
                                          "meta": {"total": total, "limit": 50, "offset": offset,
                                                   "schema": schema}})
print(node(0)["id"])
