"""The Python peer of a whole `flamehub nodes list` process (issue 12): interpreter start-up,
import, a password grant and the first page of nodes, printed one per line.
Usage: python python_nodes_list.py HUB-URL   (admin / start123, the emulator's defaults)"""
import sys

import flame_hub

hub = sys.argv[1].rstrip("/")
login = flame_hub.auth.PasswordAuth(username="admin", password="start123", base_url=f"{hub}/auth/")
nodes = flame_hub.CoreClient(base_url=f"{hub}/core/", auth=login).get_nodes()
print("\n".join(f"{n.id}  {n.name}  {n.type}  {n.hidden}  {n.online}  {n.created_at}" for n in nodes))
