#!/usr/bin/env python3
"""Two `optgate serve` processes on one PostgreSQL ledger (a multi-node deployment): an opt-out
acknowledged by one server is refused by the other's very next decision, writes to both at once
interleave into one chain that verifies, and every acknowledged write is stored.

Needs OPTGATE_TEST_DATABASE_URL (scripts/postgres-cluster.sh starts a database); the ledger goes in
a schema of its own. Each server has its own data directory holding the same secret.key, as a
deployment copies it to every node.

usage: shared_ledger.py OPTGATE_BINARY
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

from serving import OptOutLoad, optgate, seed, start, stored_event_ids

binary = os.path.abspath(sys.argv[1])
url = os.environ.get("OPTGATE_TEST_DATABASE_URL")
if not url:
    sys.exit("set OPTGATE_TEST_DATABASE_URL (scripts/postgres-cluster.sh starts a database)")
os.environ["OPTGATE_DATABASE_URL"] = url + ("&" if "?" in url else "?") + "schema=shared_" + uuid.uuid4().hex[:12]

work = tempfile.mkdtemp()
node_a, node_b = os.path.join(work, "a"), os.path.join(work, "b")
ROUNDS = 25

# The ledger: acme, c0-c2 for the write load, and f0.. with consent to acme's email marketing.
seed(binary, node_a, work, 3)
fresh = os.path.join(work, "fresh.ndjson")
with open(fresh, "w") as f:
    for i in range(ROUNDS):
        f.write(json.dumps({"record": "contact", "id": f"f{i}", "jurisdiction": "GB"}) + "\n")
        f.write(json.dumps({"record": "event", "contact": f"f{i}", "id": f"cons-f{i}", "type": "consent_given",
                            "at": "2026-01-01T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"],
                            "method": "unticked_box"}) + "\n")
optgate(binary, node_a, "import", fresh, "--quiet")
os.makedirs(node_b, mode=0o700)
shutil.copy2(os.path.join(node_a, "secret.key"), os.path.join(node_b, "secret.key"))
token = optgate(binary, node_a, "keys", "create", "--name", "shared ledger test", "--scope", "admin").stdout.strip()

server_a, base_a = start(binary, node_a, stderr=open(os.path.join(work, "a.log"), "w"))
server_b, base_b = start(binary, node_b, stderr=open(os.path.join(work, "b.log"), "w"))


def post(base, path, payload):
    request = urllib.request.Request(base + path, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def allowed(base, contact):
    status, answer = post(base, "/v1/decisions", {"contact": contact, "message": {"from": "acme", "channel": "email", "purpose": "marketing"}})
    assert status == 200, answer
    return answer["allowed"]


# Both servers take opt-outs for c0-c2 from 4 threads each while the rounds run.
load_a = OptOutLoad(base_a, token, server_a, threads=4)
load_b = OptOutLoad(base_b, token, server_b, threads=4)
stale = []
for i in range(ROUNDS):
    writer, reader = (base_a, base_b) if i % 2 == 0 else (base_b, base_a)
    contact = f"f{i}"
    if not allowed(reader, contact):  # now in the reader's memory
        stale.append(f"{contact}: refused before its opt-out")
    status, _ = post(writer, "/v1/events", {"contact": contact, "id": f"oo-{contact}", "type": "opt_out",
                                            "at": "2026-11-01T00:00:00Z", "via": "link"})
    assert status == 201
    if allowed(reader, contact):
        stale.append(f"{contact}: allowed by the other server after its opt-out was acknowledged")
time.sleep(1.0)
load_a.stop()
load_b.stop()
for server in (server_a, server_b):
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)

acknowledged = load_a.acknowledged + load_b.acknowledged
stored = stored_event_ids(binary, node_b, 3)
missing = [e for e in acknowledged if e not in stored]
verify = subprocess.run([binary, "audit", "verify", "--data-dir", node_b], capture_output=True, text=True)
print(f"{ROUNDS} opt-outs each refused by the other server's next decision: {ROUNDS - len(stale)} of {ROUNDS}")
print(f"writes acknowledged: {len(load_a.acknowledged)} by one server, {len(load_b.acknowledged)} by the other; "
      f"{len(missing)} of them missing from the ledger")
print(verify.stdout.splitlines()[0] if verify.stdout else verify.stderr.strip())
if not os.environ.get("KEEP"):
    shutil.rmtree(work, ignore_errors=True)
if stale or missing or verify.returncode != 0 or not acknowledged:
    for line in stale[:10]:
        print("FAIL:", line)
    sys.exit(1)
