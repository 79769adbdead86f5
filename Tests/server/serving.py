"""What the server scripts share: running optgate on a data directory, a ledger with an entity
and N contacts, a server on a free loopback port, and the event ids the contacts' evidence packs
hold."""
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request


def optgate(binary, data, *args, check=True):
    return subprocess.run([binary, *args, "--data-dir", data], check=check, capture_output=True, text=True)


def seed(binary, data, work, contacts):
    """Imports the entity `acme` and contacts c0 ... c<contacts-1> (GB); returns the file imported."""
    path = os.path.join(work, "org.ndjson")
    with open(path, "w") as f:
        f.write('{"record":"entity","id":"acme","kind":"company"}\n')
        for i in range(contacts):
            f.write(json.dumps({"record": "contact", "id": f"c{i}", "jurisdiction": "GB"}) + "\n")
    optgate(binary, data, "import", path, "--quiet")
    return path


def start(binary, data, **popen):
    """Starts `optgate serve` on a free loopback port and waits for it to answer; returns the
    process and its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([binary, "serve", "--data-dir", data, "--port", str(port), "--log-level", "notice"], **popen)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/ping", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def stored_event_ids(binary, data, contacts):
    """The ids of the events in the evidence packs of c0 ... c<contacts-1>."""
    stored = set()
    for i in range(contacts):
        pack = json.loads(optgate(binary, data, "export", "evidence", f"c{i}").stdout)
        for entry in pack["entries"]:
            event = entry["record"].get("event")
            if event and "id" in event:
                stored.add(event["id"])
    return stored


class OptOutLoad:
    """`threads` threads recording opt-outs (unique ids, over contacts c0 ... c<contacts-1>) as fast
    as the server answers, until `stop()` or until the server has exited; `acknowledged` holds the
    ids answered 201, in the order they were."""

    def __init__(self, base, token, server, threads, contacts=3):
        self.base, self.token, self.server, self.contacts = base, token, server, contacts
        self.acknowledged = []
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._write, args=(n,)) for n in range(threads)]
        for t in self._threads:
            t.start()

    def _write(self, n):
        i = 0
        while not self._stop.is_set():
            i += 1
            event_id = f"w{n}-{i}"
            body = json.dumps({"contact": f"c{i % self.contacts}", "id": event_id, "type": "opt_out",
                               "at": "2026-11-01T00:00:00Z", "via": "link"})
            request = urllib.request.Request(self.base + "/v1/events", data=body.encode(), method="POST",
                                             headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 201:
                        with self.lock:
                            self.acknowledged.append(event_id)
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.server.poll() is not None:
                    return

    def so_far(self):
        """The ids acknowledged until now."""
        with self.lock:
            return list(self.acknowledged)

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join()
