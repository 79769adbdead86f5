#!/usr/bin/env python3
"""`optgate backup` while `optgate serve` takes writes: the copy verifies, holds every write
acknowledged before the backup started and nothing the ledger does not hold, and a server started
on the copy (a restore) answers with the copy's head.

Starts the server on a fresh data directory with three contacts, has 8 threads record opt-outs
(unique ids) as fast as they can, runs `optgate backup` after a second while they go on, lets them
write for another second, stops the server, then compares the copy with the ledger.

usage: backup_under_load.py OPTGATE_BINARY
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
copy = os.path.join(work, "copy")

seed(binary, data, work, 3)
token = optgate(binary, data, "keys", "create", "--name", "backup test", "--scope", "admin").stdout.strip()
server, base = start(binary, data, stderr=subprocess.DEVNULL)

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


threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
for t in threads:
    t.start()
time.sleep(1.0)
with lock:
    before = list(acknowledged)
backup = subprocess.run([binary, "backup", "--data-dir", data, copy], capture_output=True, text=True)
with lock:
    during = len(acknowledged) - len(before)
time.sleep(1.0)
stop.set()
for t in threads:
    t.join()
server.send_signal(signal.SIGTERM)
server.wait(timeout=30)

print(backup.stdout.strip() or backup.stderr.strip())
ok = backup.returncode == 0
if ok:
    in_copy = stored_event_ids(binary, copy, 3)
    in_ledger = stored_event_ids(binary, data, 3)
    missing = [e for e in before if e not in in_copy]
    foreign = sorted(in_copy - in_ledger)
    verify = subprocess.run([binary, "audit", "verify", "--data-dir", copy], capture_output=True, text=True)
    restored, restored_base = start(binary, copy, stderr=subprocess.DEVNULL)
    with urllib.request.urlopen(restored_base + "/health", timeout=5) as response:
        health = json.loads(response.read())
    restored.send_signal(signal.SIGTERM)
    restored.wait(timeout=30)
    entries = int(backup.stdout.split(": ", 1)[1].split(" entries")[0])
    print(f"{len(before)} writes acknowledged before the backup, {during} while it ran, {len(acknowledged)} in all; "
          f"the copy holds {len(in_copy)} of them ({len(missing)} acknowledged before it missing, {len(foreign)} not in the ledger), "
          f"the ledger {len(in_ledger)}; a server on the copy answers head {health['ledger_head']} (the backup's: {entries})")
    print(verify.stdout.splitlines()[0] if verify.stdout else verify.stderr)
    ok = (not missing and not foreign and len(before) > 0 and len(in_ledger) > len(in_copy)
          and set(acknowledged) <= in_ledger and verify.returncode == 0 and health["ledger_head"] == entries)
subprocess.run(["rm", "-rf", work])
sys.exit(0 if ok else 1)
