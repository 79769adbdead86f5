#!/usr/bin/env python3
"""Graceful shutdown of `optgate serve` under write load: every write the server acknowledged is in
the ledger after SIGTERM, and the chain verifies.

Starts the server on a fresh data directory with three contacts, has 16 threads record opt-outs
(unique ids) as fast as they can, sends SIGTERM after a second, waits for the server to exit, then
reads each contact's evidence pack and checks that every event id answered 201 is there.

usage: graceful_shutdown.py OPTGATE_BINARY
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from serving import optgate, seed, start, stored_event_ids

binary = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp()
data = os.path.join(work, "data")




def run(*args):
    return optgate(binary, data, *args)


seed(binary, data, work, 3)
token = run("keys", "create", "--name", "shutdown test", "--scope", "admin").stdout.strip()
server, base = start(binary, data, stderr=subprocess.PIPE, text=True)

acknowledged = []
lock = threading.Lock()
stop = threading.Event()


def writer(n):
    i = 0
    while not stop.is_set():
        i += 1
        event_id = f"w{n}-{i}"
        body = json.dumps({"contact": f"c{i % 3}", "id": event_id, "type": "opt_out", "at": "2026-11-01T00:00:00Z", "via": "link"})
        request = urllib.request.Request(base + "/v1/events", data=body.encode(), method="POST",
                                         headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 201:
                    with lock:
                        acknowledged.append(event_id)
        except (urllib.error.URLError, ConnectionError, OSError):
            if server.poll() is not None:
                return


threads = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
for t in threads:
    t.start()
time.sleep(1.0)
server.send_signal(signal.SIGTERM)
code = server.wait(timeout=30)
stop.set()
for t in threads:
    t.join()
log = server.stderr.read()

stored = stored_event_ids(binary, data, 3)
missing = [e for e in acknowledged if e not in stored]
verify = subprocess.run([binary, "audit", "verify", "--data-dir", data], capture_output=True, text=True)
print(f"server exit code {code}; {len(acknowledged)} writes acknowledged, {len(stored)} stored, {len(missing)} acknowledged but missing")
print(verify.stdout.splitlines()[0] if verify.stdout else verify.stderr)
ok = code == 0 and not missing and len(acknowledged) > 0 and verify.returncode == 0 and "every acknowledged write is on disk" in log
subprocess.run(["rm", "-rf", work])
sys.exit(0 if ok else 1)
