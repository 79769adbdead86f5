#!/usr/bin/env python3
"""Checks docs/openapi.json against a running OptGate server.

Drives every operation of the document through every response status it documents and
validates each answer against what the document says for that path, method and status: the
status itself must be documented, the content type must be one the document gives, required
headers must be present and valid, and the body must validate (JSON Schema 2020-12, `$ref`s
resolved in the document; NDJSON bodies line by line). The request bodies of successful calls are
also checked against the documented request schemas. Finally every documented status that no
check produced is reported (503, a server shutting down or its database unreachable, cannot be driven from outside).

Needs a FRESH data directory (it records fixed ids: entity acme, product boots, contact c-1, ...)
holding one destination whose URL refuses connections, on a server run with
`--webhook-max-attempts 1` (so that a delivery is dead-lettered and can be requeued), and these API
keys, passed in the environment:

    OPTGATE_ADMIN_TOKEN   --scope admin
    OPTGATE_READ_TOKEN    --scope contacts:read          (403 cases)
    OPTGATE_RATE_TOKEN    --scope admin --rate 1         (429 cases)
    OPTGATE_WRITE_TOKEN   --scope events:write           (optional: 403 cases of contacts:read routes
                                                          and of batches holding organisation records)

    python3 Tests/openapi/check_responses.py --base-url http://127.0.0.1:8080 \
        [--max-body-bytes 8388608] [--max-batch-records 10000] [--strict]

--max-body-bytes and --max-batch-records must match the server's settings. Server bugs already
known are listed in KNOWN_BUGS: their checks are reported as XFAIL and do not fail the run unless
--strict is given (an XPASS means the bug was fixed: remove it from the list).

Prints one line per check and a summary; exits 1 on any mismatch. Only the standard library and
jsonschema are used.
"""
import argparse
import json
import os
import sys
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import jsonschema
import referencing
import referencing.jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_URI = "https://optgate.invalid/openapi.json"
# The keys of a path item that are operations (others, such as `parameters`, are shared by them).
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

# Checks that fail because of a server bug (not a document error), by check name.
KNOWN_BUGS: dict[str, str] = {}

SALE = {"contact": "c-1", "id": "sale-1", "type": "details_collected", "at": "2026-11-01T10:00:00Z", "by": "acme",
        "from": "recipient", "context": "sale", "products": ["boots"], "channels": ["email"],
        "refusal_offered": True, "refused": False}
MESSAGE = {"from": "acme", "channel": "email", "purpose": "marketing", "products": ["boots"]}


class Checker:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.strict = args.strict
        with open(args.spec) as f:
            self.spec = json.load(f)
        resource = referencing.Resource.from_contents(self.spec, default_specification=referencing.jsonschema.DRAFT202012)
        self.registry = referencing.Registry().with_resource(SPEC_URI, resource)
        self.passed = 0
        self.failed = []
        self.xfailed = []
        self.xpassed = []
        self.exercised = set()
        self.tokens = {
            "admin": os.environ.get("OPTGATE_ADMIN_TOKEN"),
            "read": os.environ.get("OPTGATE_READ_TOKEN"),
            "rate": os.environ.get("OPTGATE_RATE_TOKEN"),
            "write": os.environ.get("OPTGATE_WRITE_TOKEN"),
        }
        for name in ("admin", "read", "rate"):
            if not self.tokens[name]:
                sys.exit(f"set OPTGATE_{name.upper()}_TOKEN (see the script's docstring)")

    # ------------------------------------------------------------------ document access

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"].lstrip("#/").split("/")
            node = self.spec
            for part in pointer:
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def validate(self, instance, schema):
        """Validation errors of `instance` against a schema of the document (refs resolved in it)."""
        validator = jsonschema.Draft202012Validator(
            self.rebase(schema), registry=self.registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}"
                for e in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))]

    def rebase(self, schema):
        """Makes the document-relative refs of an inline schema absolute."""
        if isinstance(schema, dict):
            return {k: (SPEC_URI + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else self.rebase(v))
                    for k, v in schema.items()}
        if isinstance(schema, list):
            return [self.rebase(v) for v in schema]
        return schema

    # ------------------------------------------------------------------ one check

    def call(self, name, method, template, expect, path=None, token="admin", body=None, ctype="application/json",
             query="", check_request=None, extra=None):
        """Sends one request, checks the answer against the document and `expect` (a status or a set of
        statuses). `check_request`: validate the sent body against the documented request schema
        (defaults to: when the expected status is 2xx). Returns (status, headers, parsed body)."""
        path = path or template
        url = self.base + path + (("?" + query) if query else "")
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        headers = {}
        if data is not None:
            headers["Content-Type"] = ctype
        if token:
            headers["Authorization"] = "Bearer " + (self.tokens.get(token) or token)
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, got_headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, got_headers, raw = error.code, error.headers, error.read()
        problems = []
        expected = expect if isinstance(expect, (set, tuple, list)) else {expect}
        if status not in expected:
            problems.append(f"status {status}, expected {sorted(expected)}: {raw[:300]!r}")
        operation = self.spec["paths"].get(template, {}).get(method.lower())
        parsed = None
        if operation is None:
            problems.append(f"{method} {template} is not in the document")
        else:
            self.exercised.add((template, method.lower(), str(status)))
            documented = operation["responses"].get(str(status))
            if documented is None:
                problems.append(f"status {status} is not documented for {method} {template}")
            else:
                response = self.resolve(documented)
                problems += self.check_headers(response, got_headers)
                p, parsed = self.check_body(response, got_headers, raw)
                problems += p
            if check_request if check_request is not None else (200 <= min(expected) < 300):
                problems += self.check_request(operation, data, ctype)
        if extra and not problems:
            try:
                extra(status, got_headers, parsed)
            except AssertionError as error:
                problems.append(f"assertion: {error}")
        self.report(f"{method} {path}{('?' + query) if query else ''} -> {status} [{name}]", name, problems)
        return status, got_headers, parsed

    def check_headers(self, response, got):
        problems = []
        for header, spec in response.get("headers", {}).items():
            value = got.get(header)
            if value is None:
                if spec.get("required"):
                    problems.append(f"missing header {header}")
                continue
            schema = spec.get("schema", {})
            instance = value
            if schema.get("type") == "integer":
                try:
                    instance = int(value)
                except ValueError:
                    problems.append(f"header {header}: {value!r} is not an integer")
                    continue
            problems += [f"header {header}: {e}" for e in self.validate(instance, schema)]
        return problems

    def check_body(self, response, got, raw):
        content = response.get("content")
        media = (got.get("Content-Type") or "").split(";")[0].strip().lower()
        if not content:
            return ([f"undocumented body: {raw[:200]!r}"] if raw.strip() else []), None
        if media not in content:
            return [f"content type {got.get('Content-Type')!r} (body {raw[:120]!r}) is not documented "
                    f"(documented: {', '.join(content)})"], None
        schema = content[media].get("schema", {})
        text = raw.decode("utf-8", errors="replace")
        if media in ("text/plain", "text/html"):
            return self.validate(text, schema), text
        if media == "application/x-ndjson":
            problems, lines = [], []
            for number, line in enumerate(text.split("\n"), 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except ValueError as error:
                    problems.append(f"line {number} is not JSON: {error}")
                    continue
                lines.append(value)
                problems += [f"line {number}: {e}" for e in self.validate(value, schema)]
            return problems, lines
        try:
            value = json.loads(text)
        except ValueError as error:
            return [f"body is not JSON: {error}: {raw[:200]!r}"], None
        return self.validate(value, schema), value

    def check_request(self, operation, data, ctype):
        body = operation.get("requestBody")
        if body is None or data is None:
            return []
        content = self.resolve(body)["content"]
        media = ctype.split(";")[0].strip().lower()
        if media not in content:
            return [f"request content type {media} is not documented"]
        schema = content[media]["schema"]
        text = data.decode()
        if media == "multipart/form-data":
            return []
        if media == "application/x-www-form-urlencoded":
            fields = {k: v[0] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items()}
            return [f"request: {e}" for e in self.validate(fields, schema)]
        if media == "application/x-ndjson":
            problems = []
            for number, line in enumerate(text.split("\n"), 1):
                if line.strip():
                    problems += [f"request line {number}: {e}" for e in self.validate(json.loads(line), schema)]
            return problems
        return [f"request: {e}" for e in self.validate(json.loads(text), schema)]

    def report(self, label, name, problems):
        bug = next((text for key, text in KNOWN_BUGS.items() if key in name), None)
        if not problems:
            if bug:
                self.xpassed.append(label)
                print(f"XPASS {label}  (known bug fixed? remove it from KNOWN_BUGS)")
            else:
                print(f"ok    {label}")
            self.passed += 1
        elif bug and not self.strict:
            self.xfailed.append((label, bug))
            print(f"XFAIL {label}\n      server bug: {bug}")
            for p in problems:
                print(f"      {p}")
        else:
            self.failed.append(label)
            print(f"FAIL  {label}")
            for p in problems:
                print(f"      {p}")

    # ------------------------------------------------------------------ coverage

    def coverage(self):
        missing = []
        for template, methods in self.spec["paths"].items():
            for method, operation in methods.items():
                if method not in HTTP_METHODS:
                    continue
                for status in operation["responses"]:
                    if (template, method, status) not in self.exercised:
                        missing.append((template, method, status))
        return missing


def run(c, args):
    big = args.max_body_bytes + 1

    def oversized():
        return '{"id":"' + "a" * big + '"}'

    # ---------------------------------------------------------------- public routes
    c.call("ping", "GET", "/ping", 200, token=None)
    c.call("health", "GET", "/health", 200, token=None)
    c.call("metrics", "GET", "/metrics", 200, token=None)
    c.call("openapi", "GET", "/openapi.json", 200, token=None)
    c.call("serves this document", "GET", "/openapi.json", 200, token=None,
           extra=lambda s, h, b: ensure(b == c.spec, "the served document differs from docs/openapi.json"))

    # ---------------------------------------------------------------- organisation
    org = [
        ("/v1/entities", {"id": "acme", "kind": "company"}, {"id": "acme", "kind": "charity"}, {"id": "acme", "kind": "bank"}),
        ("/v1/catalogue", {"id": "boots", "similar_to": [], "reasoning": "footwear"}, {"id": "boots", "reasoning": "shoes"},
         {"id": "boots", "similar": []}),
        ("/v1/policy", {"uk_soft_opt_in_months": 24}, {"uk_soft_opt_in_months": 12}, {"uk_soft_opt_in_months": -1}),
        ("/v1/notices", {"version": "v1", "text": "We will email you offers of boots."}, {"version": "v1", "text": "Other words."},
         {"version": "v1"}),
    ]
    for path, good, conflicting, invalid in org:
        c.call("record", "POST", path, 201, body=good)
        c.call("record again", "POST", path, 200, body=good)
        c.call("same key, other content", "POST", path, 409, body=conflicting)
        c.call("invalid record", "POST", path, 422, body=invalid)
        c.call("other record kind", "POST", path, 422, body={**good, "record": "event"})
        c.call("no key", "POST", path, 401, token=None, body=good)
        c.call("missing scope", "POST", path, 403, token="read", body=good)
        c.call("body too large", "POST", path, 413, body=oversized())
    c.call("second entity, with group", "POST", "/v1/entities", 201,
           body={"record": "entity", "id": "acme-charity", "kind": "charity", "group": "acme-group",
                 "valid_from": "2026-01-01T00:00:00Z"})
    c.call("similar product", "POST", "/v1/catalogue", 201,
           body={"id": "socks", "similar_to": ["boots"], "reasoning": "worn with boots"})
    c.call("policy from a later date", "POST", "/v1/policy", 201,
           body={"valid_from": "2026-06-01T00:00:00Z", "uk_soft_opt_in_months": 18, "abandoned_checkout_is_negotiation": True,
                 "max_marketing_per_30_days": 8})
    for path in ("/v1/entities", "/v1/catalogue", "/v1/policy"):
        c.call("now", "GET", path, 200)
        c.call("at a past moment", "GET", path, 200, query="at=2025-01-01T00:00:00Z")
        c.call("invalid at", "GET", path, 422, query="at=yesterday")
        c.call("no key", "GET", path, 401, token=None)
    c.call("any key may read", "GET", "/v1/policy", 200, token="read",
           extra=lambda s, h, b: ensure(b["max_marketing_per_30_days"] == 8, "the policy in effect now"))
    c.call("list", "GET", "/v1/notices", 200)
    c.call("no key", "GET", "/v1/notices", 401, token=None)
    c.call("bad token", "GET", "/v1/notices", 401, token="og_aaaaaaaaaa_" + "a" * 40)

    # ---------------------------------------------------------------- contacts and events
    c.call("record", "POST", "/v1/contacts", 201, body={"id": "c-1", "email": "ann@example.com", "jurisdiction": "GB"})
    c.call("record again: unchanged", "POST", "/v1/contacts", 200,
           body={"record": "contact", "id": "c-1", "email": "ann@example.com", "jurisdiction": "GB"})
    c.call("profile change", "POST", "/v1/contacts", 201, body={"id": "c-1", "subscriber": "individual"})
    c.call("by email only", "POST", "/v1/contacts", 201, body={"email": "bob@example.com", "jurisdiction": "IE"})
    c.call("email of another contact", "POST", "/v1/contacts", 409, body={"id": "c-9", "email": "ann@example.com"})
    c.call("invalid jurisdiction", "POST", "/v1/contacts", 422, body={"id": "c-9", "jurisdiction": "UK"})
    c.call("no id, email or phone", "POST", "/v1/contacts", 422, body={"jurisdiction": "GB"})
    c.call("no key", "POST", "/v1/contacts", 401, token=None, body={"id": "c-9"})
    c.call("missing scope", "POST", "/v1/contacts", 403, token="read", body={"id": "c-9"})
    c.call("body too large", "POST", "/v1/contacts", 413, body=oversized())

    c.call("sale", "POST", "/v1/events", 201, body=SALE)
    c.call("same event again", "POST", "/v1/events", 200, body=SALE)
    c.call("same id, other content", "POST", "/v1/events", 409, body={**SALE, "at": "2026-11-02T10:00:00Z"})
    c.call("consent with evidence", "POST", "/v1/events", 201, body={
        "record": "event", "email": "ann@example.com", "id": "consent-1", "type": "consent_given", "at": "2026-11-02T10:00:00Z",
        "to": ["acme"], "channels": ["sms"], "purposes": ["marketing"], "method": "double_opt_in", "notice_version": "v1",
        "source": "checkout", "expires_at": "2028-11-02T10:00:00Z",
        "evidence": {"collection_point": "web checkout", "actor": "shop", "ip": "192.0.2.10", "user_agent": "Mozilla/5.0"}})
    c.call("marketing sent", "POST", "/v1/events", 201, body={
        "contact": "c-1", "id": "sent-1", "type": "marketing_sent", "at": "2026-11-05T10:00:00Z", "by": "acme",
        "channel": "email", "products": ["boots"]})
    c.call("unknown contact", "POST", "/v1/events", 422, body={**SALE, "contact": "nobody", "id": "sale-x"})
    c.call("unknown entity", "POST", "/v1/events", 422, body={**SALE, "by": "ghost", "id": "sale-y"})
    c.call("unknown field and type", "POST", "/v1/events", 422,
           body={"contact": "c-1", "type": "details_collected", "at": "2026-11-01", "colour": "red"})
    c.call("not JSON", "POST", "/v1/events", 422, body='{"contact": "c-1",')
    c.call("empty body", "POST", "/v1/events", 422, body="")
    c.call("no key", "POST", "/v1/events", 401, token=None, body=SALE)
    c.call("missing scope", "POST", "/v1/events", 403, token="read", body=SALE)
    c.call("body too large", "POST", "/v1/events", 413, body=oversized())

    # ---------------------------------------------------------------- decisions
    def same_seq(first):
        def check(status, headers, body):
            assert body.get("recorded_seq") == first["recorded_seq"], "asking again must return the recorded decision"
        return check

    c.call("allowed by soft opt-in", "POST", "/v1/decisions", 200, body={"contact": "c-1", "message": MESSAGE},
           extra=lambda s, h, b: ensure(b["allowed"] and b["basis"] == "soft_opt_in", f"expected soft_opt_in, got {b['basis']}"))
    c.call("replayed at a past moment", "POST", "/v1/decisions", 200,
           body={"email": "ann@example.com", "at": "2026-10-01T00:00:00Z",
                 "message": {**MESSAGE, "channel": "sms", "on_behalf_of": "acme-charity", "includes_opt_out": True,
                             "identifies_sender": True, "solicited": False, "relevant_to_role": False}})
    _, _, first = c.call("for a send, recorded", "POST", "/v1/decisions", 200,
                         body={"contact": "c-1", "message_id": "m-1", "message": MESSAGE})
    if isinstance(first, dict) and "recorded_seq" in first:
        c.call("for the same send again", "POST", "/v1/decisions", 200,
               body={"contact": "c-1", "message_id": "m-1", "message": MESSAGE}, extra=same_seq(first))
    c.call("unknown contact", "POST", "/v1/decisions", 404, body={"contact": "nobody", "message": MESSAGE})
    c.call("unknown email", "POST", "/v1/decisions", 404, body={"email": "nobody@example.com", "message": MESSAGE})
    c.call("invalid channel, no contact", "POST", "/v1/decisions", 422, body={"message": {**MESSAGE, "channel": "emial"}})
    c.call("at with message_id", "POST", "/v1/decisions", 422,
           body={"contact": "c-1", "message_id": "m-2", "at": "2026-11-01T00:00:00Z", "message": MESSAGE})
    c.call("no key", "POST", "/v1/decisions", 401, token=None, body={"contact": "c-1", "message": MESSAGE})
    c.call("missing scope", "POST", "/v1/decisions", 403, token="read", body={"contact": "c-1", "message": MESSAGE})
    c.call("body too large", "POST", "/v1/decisions", 413, body=oversized())

    # ---------------------------------------------------------------- opt-out, then more decisions
    c.call("opt-out", "POST", "/v1/events", 201, body={
        "contact": "c-1", "id": "optout-1", "type": "opt_out", "at": "2026-11-10T10:00:00Z", "via": "link"})
    c.call("denied after the opt-out", "POST", "/v1/decisions", 200, body={"contact": "c-1", "message": MESSAGE},
           extra=lambda s, h, b: ensure(not b["allowed"] and b["basis"] is None, "an opt-out must deny"))

    # ---------------------------------------------------------------- propagation
    # The destination refuses connections and the server makes one attempt: the opt-out and the
    # consent above are dead-lettered within moments.
    dead = wait_for_dead(c)
    c.call("status", "GET", "/v1/propagation", 200,
           extra=lambda s, h, b: ensure(b["destinations"] and b["destinations"][0]["dead"] >= 1, "a dead letter is counted"))
    c.call("no key", "GET", "/v1/propagation", 401, token=None)
    c.call("missing scope", "GET", "/v1/propagation", 403, token="read")
    for query in ("", "state=pending", "state=delivered", "state=overdue", "state=dead&limit=5", "destination=nobody"):
        c.call("list", "GET", "/v1/propagation/deliveries", 200, query=query)
    c.call("unknown state", "GET", "/v1/propagation/deliveries", 422, query="state=lost")
    c.call("limit out of range", "GET", "/v1/propagation/deliveries", 422, query="limit=0")
    c.call("no key", "GET", "/v1/propagation/deliveries", 401, token=None)
    c.call("missing scope", "GET", "/v1/propagation/deliveries", 403, token="read")
    retry = "/v1/propagation/dead/{key}/retry"
    if dead:
        c.call("requeue a dead letter", "POST", retry, 200, path=retry.replace("{key}", dead),
               extra=lambda s, h, b: ensure(b["state"] == "pending" and b["attempts"] == 0, "requeued"))
    c.call("no such dead letter", "POST", retry, 404, path=retry.replace("{key}", "nobody:1"))
    c.call("no key", "POST", retry, 401, path=retry.replace("{key}", "nobody:1"), token=None)
    c.call("missing scope", "POST", retry, 403, path=retry.replace("{key}", "nobody:1"), token="read")

    # ---------------------------------------------------------------- batches
    batch = [
        {"record": "contact", "id": "c-2", "phone": "+447700900123", "jurisdiction": "GB", "subscriber": "corporate"},
        {"contact": "c-2", "id": "gpc-1", "type": "gpc_signal", "at": "2026-11-01T00:00:00Z", "value": True},
        {"record": "event", "phone": "+447700900123", "id": "tps-1", "type": "register_listed", "register": "tps",
         "at": "2026-11-02T00:00:00Z"},
        {"contact": "c-2", "id": "tps-2", "type": "register_removed", "register": "tps", "at": "2026-11-03T00:00:00Z"},
        {"contact": "c-2", "id": "oo-2", "type": "opt_out", "at": "2026-11-04T00:00:00Z", "channels": ["sms"],
         "products": ["boots"], "entity": "acme", "via": "sms_stop"},
    ]
    c.call("JSON array", "POST", "/v1/events/batch", 201, body=batch)
    c.call("same records again", "POST", "/v1/events/batch", 200, body=batch)
    ndjson = "\n".join(json.dumps(r) for r in [
        {"record": "entity", "id": "acme-retail", "kind": "company", "group": "acme-group"},
        {"record": "contact", "id": "c-3", "jurisdiction": "IE"},
        {"contact": "c-3", "id": "enq-1", "type": "details_collected", "at": "2026-11-01T00:00:00Z", "by": "acme-retail",
         "context": "product_enquiry", "channels": ["email", "sms"]},
    ]) + "\n\n"
    c.call("NDJSON with an organisation record", "POST", "/v1/events/batch", 201, body=ndjson, ctype="application/x-ndjson")
    c.call("conflicting event", "POST", "/v1/events/batch", 409, body=[{**SALE, "at": "2026-11-03T10:00:00Z"}])
    c.call("invalid records", "POST", "/v1/events/batch", 422,
           body=[{"record": "bogus"}, {"type": "opt_out"}, {"record": "entity", "id": "x"}])
    c.call("invalid NDJSON line", "POST", "/v1/events/batch", 422, body='{"record":"contact","id":"c-4"}\nnot json\n',
           ctype="application/x-ndjson")
    c.call("not an array", "POST", "/v1/events/batch", 422, body={"record": "contact", "id": "c-4"})
    c.call("empty", "POST", "/v1/events/batch", 422, body=[])
    c.call("too many records", "POST", "/v1/events/batch", 413, body=[{}] * (args.max_batch_records + 1))
    c.call("body too large", "POST", "/v1/events/batch", 413, body=oversized())
    c.call("no key", "POST", "/v1/events/batch", 401, token=None, body=batch)
    c.call("missing scope", "POST", "/v1/events/batch", 403, token="read", body=batch)
    if c.tokens["write"]:
        c.call("organisation record without organisation:write", "POST", "/v1/events/batch", 403, token="write",
               body=[{"record": "entity", "id": "acme-2", "kind": "company"}])
        c.call("events:write suffices without organisation records", "POST", "/v1/events/batch", 201, token="write",
               body=[{"record": "contact", "id": "c-5", "jurisdiction": "FR"}])

    lines = "\n".join(json.dumps(r) if isinstance(r, dict) else r for r in [
        {"contact": "c-1", "message": MESSAGE},
        {"contact": "nobody", "message": MESSAGE},
        "not json",
        {"contact": "c-2", "message": {"from": "acme", "channel": "fax", "purpose": "marketng"}},
        "",
        {"phone": "+447700900123", "message_id": "m-3", "message": {"from": "acme", "channel": "live_call", "purpose": "marketing"}},
        {"email": "ann@example.com", "at": "2026-11-03T00:00:00Z", "message": {"from": "acme", "channel": "sms", "purpose": "service"}},
    ]) + "\n"

    def line_shapes(status, headers, body):
        kinds = ["error" if "error" in line else "decision" for line in body]
        assert kinds == ["decision", "error", "error", "error", "decision", "decision"], f"lines: {kinds}"
        assert [line.get("line") for line in body] == [1, 2, 3, 4, 6, 7], "line numbers"
    c.call("NDJSON stream", "POST", "/v1/decisions/batch", 200, body=lines, ctype="application/x-ndjson",
           check_request=False, extra=line_shapes)

    def cut_short(status, headers, body):
        assert body and "error" in body[-1] and "line" not in body[-1] and body[-1]["error"]["status"] == 413, "ends with a 413"
    c.call("line too long", "POST", "/v1/decisions/batch", 200,
           body=json.dumps({"contact": "c-1", "message": MESSAGE}) + "\n" + "x" * big + "\n",
           ctype="application/x-ndjson", check_request=False, extra=cut_short)
    c.call("empty stream", "POST", "/v1/decisions/batch", 200, body="", ctype="application/x-ndjson")
    c.call("no key", "POST", "/v1/decisions/batch", 401, token=None, body=lines, ctype="application/x-ndjson")
    c.call("missing scope", "POST", "/v1/decisions/batch", 403, token="read", body=lines, ctype="application/x-ndjson",
           check_request=False)

    # ---------------------------------------------------------------- reading contacts
    c.call("by email", "POST", "/v1/contacts/lookup", 200, body={"email": " Ann@Example.com "})
    c.call("by phone", "POST", "/v1/contacts/lookup", 200, token="read", body={"phone": "+447700900123"})
    c.call("unknown email", "POST", "/v1/contacts/lookup", 404, body={"email": "nobody@example.com"})
    c.call("two identifiers", "POST", "/v1/contacts/lookup", 422, body={"email": "ann@example.com", "phone": "+447700900123"})
    c.call("unknown field", "POST", "/v1/contacts/lookup", 422, body={"mail": "ann@example.com"})
    c.call("no key", "POST", "/v1/contacts/lookup", 401, token=None, body={"email": "ann@example.com"})
    if c.tokens["write"]:
        c.call("missing scope", "POST", "/v1/contacts/lookup", 403, token="write", body={"email": "ann@example.com"})
    c.call("body too large", "POST", "/v1/contacts/lookup", 413, body=oversized())

    for template, extra_statuses in (("/v1/contacts/{id}", True), ("/v1/contacts/{id}/history", True)):
        for contact in ("c-1", "c-2", "c-3"):
            c.call("contact", "GET", template, 200, path=template.replace("{id}", contact), token="read")
        c.call("at a past moment", "GET", template, 200, path=template.replace("{id}", "c-1"), query="at=2026-11-01T12:00:00Z")
        c.call("before anything was known", "GET", template, 200, path=template.replace("{id}", "c-1"),
               query="at=2020-01-01T00:00:00Z")
        c.call("unknown contact", "GET", template, 404, path=template.replace("{id}", "nobody"))
        c.call("invalid at", "GET", template, 422, path=template.replace("{id}", "c-1"), query="at=2026-13-01")
        c.call("no key", "GET", template, 401, path=template.replace("{id}", "c-1"), token=None)
        if c.tokens["write"]:
            c.call("missing scope", "GET", template, 403, path=template.replace("{id}", "c-1"), token="write")

    for template in ("/v1/contacts/{id}/evidence", "/v1/contacts/{id}/receipts"):
        for contact in ("c-1", "c-2", "c-3"):
            c.call("contact", "GET", template, 200, path=template.replace("{id}", contact))
        c.call("unknown contact", "GET", template, 404, path=template.replace("{id}", "nobody"))
        c.call("no key", "GET", template, 401, path=template.replace("{id}", "c-1"), token=None)
        c.call("missing scope", "GET", template, 403, path=template.replace("{id}", "c-1"), token="read")
    c.call("verify", "GET", "/v1/audit/verify", 200,
           extra=lambda s, h, b: ensure(b["valid"], "the chain must verify"))
    c.call("no key", "GET", "/v1/audit/verify", 401, token=None)
    c.call("missing scope", "GET", "/v1/audit/verify", 403, token="read")

    # ---------------------------------------------------------------- opt-out loop: links, pages, SMS
    form = "application/x-www-form-urlencoded"
    _, _, links = c.call("links for an email", "POST", "/v1/links", 200,
                         body={"contact": "c-1", "from": "acme", "channel": "email", "message_id": "m-links"})
    link = links["unsubscribe_url"].rsplit("/", 1)[1]
    c.call("links for a text", "POST", "/v1/links", 200, body={"contact": "c-1", "from": "acme", "channel": "sms"},
           extra=lambda s, h, b: ensure("headers" not in b and b["sms_footer"], "a text has no email headers"))
    c.call("unknown contact", "POST", "/v1/links", 404, body={"contact": "c-nobody", "from": "acme", "channel": "email"})
    c.call("invalid", "POST", "/v1/links", 422, body={"contact": "c-1", "from": "nobody", "channel": "pigeon"})
    c.call("no key", "POST", "/v1/links", 401, token=None, body={"contact": "c-1", "from": "acme", "channel": "email"})
    c.call("missing scope", "POST", "/v1/links", 403, token="read", body={"contact": "c-1", "from": "acme", "channel": "email"})
    c.call("body too large", "POST", "/v1/links", 413, body=oversized())
    c.call("confirmation page", "GET", "/u/{link}", 200, path="/u/" + link, token=None,
           extra=lambda s, h, b: ensure("List-Unsubscribe" in b and h.get("Cache-Control") == "no-store", "a page with the form"))
    c.call("altered link", "GET", "/u/{link}", 404, path="/u/" + link[:-4], token=None)
    c.call("one-click", "POST", "/u/{link}", 200, path="/u/" + link, token=None, body="List-Unsubscribe=One-Click", ctype=form,
           extra=lambda s, h, b: ensure(h.get("Location") is None, "RFC 8058: no redirect"))
    c.call("one-click again (multipart)", "POST", "/u/{link}", 200, path="/u/" + link, token=None,
           body="--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n",
           ctype="multipart/form-data; boundary=b")
    c.call("the page's button", "POST", "/u/{link}", 200, path="/u/" + link, token=None,
           body="List-Unsubscribe=One-Click&source=page", ctype=form)
    c.call("not a one-click body", "POST", "/u/{link}", 400, path="/u/" + link, token=None, body="unsubscribe=1", ctype=form,
           check_request=False)
    c.call("forged link", "POST", "/u/{link}", 404, path="/u/AAAA" + link[4:], token=None, body="List-Unsubscribe=One-Click", ctype=form)
    c.call("body too large", "POST", "/u/{link}", 413, path="/u/" + link, token=None,
           body="List-Unsubscribe=One-Click&pad=" + "a" * 70_000, ctype=form, check_request=False)
    _, _, page = c.call("preference centre", "GET", "/p/{link}", 200, path="/p/" + link, token=None)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page or "")
    csrf = csrf.group(1) if csrf else ""
    c.call("altered link", "GET", "/p/{link}", 404, path="/p/" + link[:-4], token=None)
    c.call("save choices", "POST", "/p/{link}", 200, path="/p/" + link, token=None, ctype=form,
           body=f"csrf={urllib.parse.quote(csrf)}&channel=email&frequency=4&pause=30&reason=too_many&action=save")
    c.call("an unoffered value", "POST", "/p/{link}", 400, path="/p/" + link, token=None, ctype=form,
           body=f"csrf={urllib.parse.quote(csrf)}&channel=pigeon&action=save", check_request=False)
    c.call("no CSRF field", "POST", "/p/{link}", 403, path="/p/" + link, token=None, ctype=form, body="action=everything",
           check_request=False)
    c.call("forged link", "POST", "/p/{link}", 404, path="/p/AAAA" + link[4:], token=None, ctype=form,
           body=f"csrf={urllib.parse.quote(csrf)}&action=everything")
    c.call("body too large", "POST", "/p/{link}", 413, path="/p/" + link, token=None, ctype=form,
           body="csrf=x&pad=" + "a" * 70_000, check_request=False)
    c.call("GPC support resource", "GET", "/.well-known/gpc.json", 200, token=None)
    c.call("SMS STOP", "POST", "/v1/sms/inbound", 200, body={"from": "+447700900123", "body": " Stop ", "id": "SM-1", "entity": "acme"},
           extra=lambda s, h, b: ensure(b["action"] == "opted_out" and b["reply"], "STOP opts out"))
    c.call("SMS START (form)", "POST", "/v1/sms/inbound", 200, body="From=%2B447700900123&Body=START&MessageSid=SM-2", ctype=form,
           extra=lambda s, h, b: ensure(b["action"] == "start_noted", "START is noted"))
    c.call("SMS chatter", "POST", "/v1/sms/inbound", 200, body={"from": "+447700900123", "body": "when do you open?"},
           extra=lambda s, h, b: ensure(b["action"] == "none" and "reply" not in b, "nothing recorded"))
    c.call("SMS ambiguous opt-out word in a sentence", "POST", "/v1/sms/inbound", 200,
           body={"from": "+447700900123", "body": "cancel my order please", "id": "SM-3", "entity": "acme"},
           extra=lambda s, h, b: ensure(b["action"] == "review" and "reply" not in b, "noted for review"))
    c.call("SMS opt-out word in a sentence", "POST", "/v1/sms/inbound", 200,
           body={"from": "+447700900123", "body": "please stop texting me", "id": "SM-4", "entity": "acme"},
           extra=lambda s, h, b: ensure(b["action"] == "opted_out" and b["reply"], "the sentence opts out"))
    c.call("SMS bad number", "POST", "/v1/sms/inbound", 422, body={"from": "0770", "body": "STOP"})
    c.call("no key", "POST", "/v1/sms/inbound", 401, token=None, body={"from": "+447700900123", "body": "STOP"})
    c.call("missing scope", "POST", "/v1/sms/inbound", 403, token="read", body={"from": "+447700900123", "body": "STOP"})
    c.call("body too large", "POST", "/v1/sms/inbound", 413, body=oversized())

    # ---------------------------------------------------------------- campaign check
    nd = "application/x-ndjson"
    header = {"message": MESSAGE, "campaign_id": "spring-check", "record": True}
    stream = "\n".join(json.dumps(x) for x in [header, {"contact": "c-1"}, {"email": "nobody@example.com"}, {"phone": "0770"}]) + "\n"

    def campaign_lines(status, headers, body):
        ensure(len(body) == 4 and [b.get("line") for b in body[:3]] == [2, 3, 4], "one verdict per recipient, in order")
        ensure(body[1]["reasons"] == ["recipient.unknown"] and body[2]["reasons"] == ["recipient.invalid"], "reasons")
        ensure("recorded_seq" in body[3]["summary"], "recorded")
    c.call("campaign check, recorded", "POST", "/v1/campaigns/check", 200, body=stream, ctype=nd, extra=campaign_lines)
    c.call("the same campaign again", "POST", "/v1/campaigns/check", 200, body=stream, ctype=nd,
           extra=lambda s, h, b: ensure("already_recorded_seq" in b[-1]["summary"], "recorded once"))
    c.call("an invalid first line", "POST", "/v1/campaigns/check", 200, body=json.dumps({"message": {"from": "nobody"}}) + "\n", ctype=nd,
           check_request=False, extra=lambda s, h, b: ensure("error" in b[-1], "an error line"))
    c.call("no key", "POST", "/v1/campaigns/check", 401, token=None, body=stream, ctype=nd, check_request=False)
    c.call("missing scope", "POST", "/v1/campaigns/check", 403, token="read", body=stream, ctype=nd, check_request=False)
    c.call("recorded campaign", "GET", "/v1/campaigns/{id}", 200, path="/v1/campaigns/spring-check")
    c.call("unknown campaign", "GET", "/v1/campaigns/{id}", 404, path="/v1/campaigns/nope")
    c.call("no key", "GET", "/v1/campaigns/{id}", 401, path="/v1/campaigns/spring-check", token=None)
    c.call("missing scope", "GET", "/v1/campaigns/{id}", 403, path="/v1/campaigns/spring-check", token="read")

    # ---------------------------------------------------------------- rate limit, on every /v1 operation
    for template, methods in c.spec["paths"].items():
        if not template.startswith("/v1/"):
            continue
        for method in methods:
            if method not in HTTP_METHODS:
                continue
            path = template.replace("{id}", "c-1").replace("{key}", "nobody:1")
            body = None
            ctype = "application/json"
            if method == "post":
                # Bodies that change nothing: an empty decision stream, an invalid record or request (422).
                body, ctype = ("", "application/x-ndjson") if template in ("/v1/decisions/batch", "/v1/campaigns/check") else ("[]", "application/json")
            for attempt in range(8):
                status, _, _ = call_quietly(c, method.upper(), path, body, ctype)
                if status == 429:
                    break
            c.call("rate limited", method.upper(), template, 429, path=path, token="rate", body=body, ctype=ctype,
                   check_request=False)
    time.sleep(2.1)
    c.call("rate limit refills", "GET", "/v1/notices", 200, token="rate")


def wait_for_dead(c, seconds=15):
    """The key of a dead-lettered delivery, once there is one (None, with a failed check, if none comes)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        request = urllib.request.Request(c.base + "/v1/propagation/deliveries?state=dead",
                                         headers={"Authorization": "Bearer " + c.tokens["admin"]})
        with urllib.request.urlopen(request, timeout=60) as response:
            deliveries = json.loads(response.read())["deliveries"]
        if deliveries:
            return deliveries[0]["idempotency_key"]
        time.sleep(0.1)
    c.report("a delivery is dead-lettered", "dead letter", [f"no dead-lettered delivery after {seconds} s"])
    return None


def ensure(condition, message):
    if not condition:
        raise AssertionError(message)


def call_quietly(c, method, path, body, ctype):
    request = urllib.request.Request(c.base + path, data=None if body is None else body.encode(), method=method,
                                     headers={"Authorization": "Bearer " + c.tokens["rate"], "Content-Type": ctype})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status, None, None
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, None, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8080")
    parser.add_argument("--spec", default=os.path.join(HERE, "..", "..", "docs", "openapi.json"))
    parser.add_argument("--max-body-bytes", type=int, default=8 * 1024 * 1024, help="the server's max_body_bytes")
    parser.add_argument("--max-batch-records", type=int, default=10_000, help="the server's max_batch_records")
    parser.add_argument("--strict", action="store_true", help="known server bugs fail the run too")
    args = parser.parse_args()
    c = Checker(args)
    run(c, args)

    undrivable = {"503"}
    missing = c.coverage()
    not_driven = [m for m in missing if m[2] in undrivable]
    uncovered = [m for m in missing if m[2] not in undrivable]
    print()
    for template, method, status in uncovered:
        print(f"FAIL  coverage: {method.upper()} {template} {status} is documented but no check produced it")
    operations = sum(len([k for k in m if k in HTTP_METHODS]) for m in c.spec["paths"].values())
    statuses = sum(len(o["responses"]) for m in c.spec["paths"].values() for k, o in m.items() if k in HTTP_METHODS)
    print(f"{c.passed + len(c.failed) + len(c.xfailed)} checks: {c.passed} passed, {len(c.failed)} failed, "
          f"{len(c.xfailed)} known server bugs (XFAIL), {len(c.xpassed)} XPASS")
    print(f"{len(c.spec['paths'])} paths, {operations} operations, {statuses} documented responses: "
          f"{statuses - len(missing)} exercised, {len(not_driven)} not drivable from outside (503: shutting down, database unreachable), "
          f"{len(uncovered)} not exercised")
    if c.xfailed:
        print("known server bugs:")
        for bug in sorted({b for _, b in c.xfailed}):
            print(f"  - {bug}")
    sys.exit(1 if c.failed or uncovered else 0)


if __name__ == "__main__":
    main()
