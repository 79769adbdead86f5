#!/usr/bin/env python3
"""`optgate serve` killed with SIGKILL under write load, three times over: every write the server
acknowledged is in the ledger afterwards, the chain verifies, and the stored permission summaries
equal a fold from scratch.

Each cycle starts the server on the same data directory (so it recovers whatever the previous kill
left: an unsynced WAL tail, a checkpoint cut off half way, an unfolded tail of permission states),
has 12 threads record single opt-outs and 4 threads record batches of 50 events (unique ids), and
kills the server after 1 to 2 seconds, while commits, the state folder and the background
checkpoints are all running. A process kill leaves the kernel's page cache intact, so this checks
the ordering of what the server acknowledges against what it writes, not a power cut.

usage: crash_recovery.py OPTGATE_BINARY
"""
import json
import os
import random
import shutil
import signal
import sqlite3
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
contacts = 40
random.seed(11)


def run(*args, check=True):
    return optgate(binary, data, *args, check=check)


organisation = seed(binary, data, work, contacts)
token = run("keys", "create", "--name", "crash test", "--scope", "admin").stdout.strip()

acknowledged = []
lock = threading.Lock()


def post(base, path, body, content_type):
    request = urllib.request.Request(base + path, data=body.encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def event(event_id, n):
    kind = "opt_out" if n % 2 else "marketing_sent"
    fields = {"contact": f"c{n % contacts}", "id": event_id, "type": kind, "at": "2026-11-01T00:00:00Z"}
    if kind == "opt_out":
        fields["via"] = "link"
    else:
        fields.update({"by": "acme", "channel": "email"})
    return fields


def cycle(number):
    server, base = start(binary, data, stderr=subprocess.DEVNULL)
    stop = threading.Event()

    def single(n):
        i = 0
        while not stop.is_set():
            i += 1
            event_id = f"k{number}-s{n}-{i}"
            try:
                if post(base, "/v1/events", json.dumps(event(event_id, n + i)), "application/json") == 201:
                    with lock:
                        acknowledged.append(event_id)
            except (urllib.error.URLError, ConnectionError, OSError):
                if server.poll() is not None:
                    return

    def batch(n):
        i = 0
        while not stop.is_set():
            i += 1
            ids = [f"k{number}-b{n}-{i}-{j}" for j in range(50)]
            body = "\n".join(json.dumps(event(event_id, n + i + j)) for j, event_id in enumerate(ids))
            try:
                if post(base, "/v1/events/batch", body, "application/x-ndjson") in (200, 201):
                    with lock:
                        acknowledged.extend(ids)
            except (urllib.error.URLError, ConnectionError, OSError):
                if server.poll() is not None:
                    return

    threads = [threading.Thread(target=single, args=(n,)) for n in range(12)]
    threads += [threading.Thread(target=batch, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(random.uniform(1.0, 2.0))
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=30)
    stop.set()
    for t in threads:
        t.join()


for number in range(3):
    before = len(acknowledged)
    cycle(number)
    print(f"cycle {number + 1}: killed with {len(acknowledged) - before} writes acknowledged")

stored = stored_event_ids(binary, data, contacts)
missing = [e for e in acknowledged if e not in stored]
verify = run("audit", "verify", check=False)

# The permission summaries the servers' background folds left, finished by the next write session
# (an import of a line already in the ledger folds whatever a server left), against a fold from
# scratch of the same ledger (a copy with the summaries emptied and the state cursor at 0).
def summaries(directory):
    run_in(directory, "import", organisation, "--quiet")
    with sqlite3.connect(os.path.join(directory, "ledger.sqlite")) as db:
        cursor = db.execute("SELECT seq FROM state_cursor").fetchone()[0]
        head = db.execute("SELECT MAX(seq) FROM ledger").fetchone()[0]
        rows = db.execute("SELECT contact_id, state FROM contact_state ORDER BY contact_id").fetchall()
    assert cursor == head, f"the state cursor {cursor} is not at the head {head}"
    return rows


def run_in(directory, *args):
    return optgate(binary, directory, *args)


folded = summaries(data)
scratch = os.path.join(work, "scratch")
shutil.copytree(data, scratch)
with sqlite3.connect(os.path.join(scratch, "ledger.sqlite")) as db:
    db.execute("DELETE FROM contact_state")
    db.execute("UPDATE state_cursor SET seq = 0")
replayed = summaries(scratch)

print(f"{len(acknowledged)} writes acknowledged over 3 kills, {len(stored)} events stored, {len(missing)} acknowledged but missing")
print(verify.stdout.splitlines()[0] if verify.stdout else verify.stderr)
print(f"permission summaries: {len(folded)} as the servers folded them, {'equal to' if folded == replayed else 'DIFFERENT from'} a fold from scratch")
ok = len(acknowledged) > 0 and not missing and verify.returncode == 0 and folded == replayed and len(folded) == contacts
subprocess.run(["rm", "-rf", work])
sys.exit(0 if ok else 1)
