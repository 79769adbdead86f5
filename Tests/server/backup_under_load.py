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
import time
import urllib.request

from serving import OptOutLoad, optgate, seed, start, stored_event_ids

binary = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp()
data = os.path.join(work, "data")
copy = os.path.join(work, "copy")

seed(binary, data, work, 3)
token = optgate(binary, data, "keys", "create", "--name", "backup test", "--scope", "admin").stdout.strip()
server, base = start(binary, data, stderr=subprocess.DEVNULL)

load = OptOutLoad(base, token, server, threads=8)
time.sleep(1.0)
before = load.so_far()
backup = subprocess.run([binary, "backup", "--data-dir", data, copy], capture_output=True, text=True)
during = len(load.so_far()) - len(before)
time.sleep(1.0)
load.stop()
acknowledged = load.acknowledged
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
