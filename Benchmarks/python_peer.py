"""The reference Python client (flame-hub-client, pinned by Benchmarks/run) against the same
nginx fixtures as the SDK: get_node / find_nodes, COUNT sequential calls after a warm-up.
Usage: python python_peer.py get|find CORE-BASE-URL NODE-ID COUNT   Prints the elapsed seconds."""
import sys
import time

import flame_hub

mode, base, node_id, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
core = flame_hub.CoreClient(base_url=base, auth=flame_hub.auth.StaticAuth("benchmark-token"))


def call():
    if mode == "get":
        return len(core.get_node(node_id).name)
    return len(core.find_nodes())


for _ in range(min(count, 50)):
    call()
start = time.perf_counter()
seen = 0
for _ in range(count):
    seen += call()
print(f"{time.perf_counter() - start:.6f} {seen}")
