#!/usr/bin/env python3
"""Graceful shutdown of `optgate serve` under write load: every write the server acknowledged is in
the ledger after SIGTERM, and the chain verifies.

Starts the server on a fresh data directory with three contacts, has 16 threads record opt-outs
(unique ids) as fast as they can, sends SIGTERM after a second, waits for the server to exit, then
reads each contact's evidence pack and checks that every event id answered 201 is there.

usage: graceful_shutdown.py OPTGATE_BINARY
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

from serving import OptOutLoad, optgate, seed, start, stored_event_ids

binary = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp()
data = os.path.join(work, "data")




def run(*args):
    return optgate(binary, data, *args)


seed(binary, data, work, 3)
token = run("keys", "create", "--name", "shutdown test", "--scope", "admin").stdout.strip()
server, base = start(binary, data, stderr=subprocess.PIPE, text=True)

load = OptOutLoad(base, token, server, threads=16)
time.sleep(1.0)
server.send_signal(signal.SIGTERM)
code = server.wait(timeout=30)
load.stop()
acknowledged = load.acknowledged
log = server.stderr.read()

stored = stored_event_ids(binary, data, 3)
missing = [e for e in acknowledged if e not in stored]
verify = subprocess.run([binary, "audit", "verify", "--data-dir", data], capture_output=True, text=True)
print(f"server exit code {code}; {len(acknowledged)} writes acknowledged, {len(stored)} stored, {len(missing)} acknowledged but missing")
print(verify.stdout.splitlines()[0] if verify.stdout else verify.stderr)
ok = code == 0 and not missing and len(acknowledged) > 0 and verify.returncode == 0 and "every acknowledged write is on disk" in log
subprocess.run(["rm", "-rf", work])
sys.exit(0 if ok else 1)
