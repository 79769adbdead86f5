#!/usr/bin/env python3
"""Writes a realistic NDJSON import for the ledger benchmark: an organisation (entities, a catalogue
with similarity assessments, a policy, notice texts), then contacts across GB, IE, DE, US and CA,
then their events in a realistic mix (sales and enquiries, consents of several methods with
evidence, marketing sent, opt-outs, register listings, GPC signals). Deterministic by seed.

usage: generate-ledger.py EVENTS [CONTACTS] [SEED] > file.ndjson
"""
import json
import random
import sys

events_wanted = int(sys.argv[1])
contacts = int(sys.argv[2]) if len(sys.argv) > 2 else max(1, events_wanted // 10)
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
out = sys.stdout
w = lambda o: out.write(json.dumps(o, separators=(",", ":")) + "\n")

entities = ["acme-retail", "acme-travel", "acme-finance"]
for e in entities:
    w({"record": "entity", "id": e, "kind": "company", "group": "acme-group", "valid_from": "2020-01-01T00:00:00Z"})
w({"record": "entity", "id": "acme-foundation", "kind": "charity", "valid_from": "2020-01-01T00:00:00Z"})
products = [f"p{i}" for i in range(20)]
for i, p in enumerate(products):
    rec = {"record": "product", "id": p, "valid_from": "2020-01-01T00:00:00Z"}
    if i % 4:
        rec["similar_to"] = [products[i - i % 4]]
        rec["reasoning"] = "same product family"
    w(rec)
w({"record": "policy", "valid_from": "2020-01-01T00:00:00Z", "uk_soft_opt_in_months": 24})
for v in ("v1", "v2", "v3"):
    w({"record": "notice", "version": v, "text": f"Notice {v}: tick to receive offers by the channels you choose.", "valid_from": "2020-01-01T00:00:00Z"})

jurisdictions = ["GB"] * 5 + ["IE", "DE", "FR", "US", "US-CA", "CA"]
methods = ["unticked_box"] * 6 + ["double_opt_in"] * 3 + ["signed_form", "pre_ticked_box", "verbal_recorded"]
channels = ["email", "sms", "post", "live_call"]
routes = ["one_click", "link", "sms_stop", "preference_centre", "reply"]

for c in range(contacts):
    w({"record": "contact", "id": f"c{c}", "email": f"person{c}@example.com", "phone": f"+447{c:09d}",
       "jurisdiction": rng.choice(jurisdictions), "subscriber": "individual" if rng.random() < 0.9 else "corporate"})

base = 1_609_459_200  # 2021-01-01
def at():
    t = base + rng.randrange(0, 5 * 365 * 86400)
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

for n in range(events_wanted):
    c = rng.randrange(contacts)
    k = rng.random()
    ev = {"record": "event", "contact": f"c{c}", "id": f"e{n}", "at": at()}
    if k < 0.30:
        ev.update(type="details_collected", by=rng.choice(entities), context=rng.choice(["sale", "sale", "quote_request", "product_enquiry", "newsletter_signup"]),
                  products=[rng.choice(products)], channels=rng.sample(channels, 2), refusal_offered=rng.random() < 0.95)
        ev["evidence"] = {"collection_point": "web checkout", "ip": f"203.0.{rng.randrange(256)}.{rng.randrange(256)}"}
    elif k < 0.50:
        ev.update(type="consent_given", to=[rng.choice(entities)], channels=[rng.choice(channels)], purposes=["marketing"],
                  method=rng.choice(methods), notice_version=rng.choice(["v1", "v2", "v3"]), source="web")
        ev["evidence"] = {"collection_point": "signup form", "ip": f"198.51.{rng.randrange(256)}.{rng.randrange(256)}", "user_agent": "Mozilla/5.0"}
    elif k < 0.88:
        ev.update(type="marketing_sent", by=rng.choice(entities), channel=rng.choice(channels), products=[rng.choice(products)])
    elif k < 0.95:
        ev.update(type="opt_out", channels=[rng.choice(channels)], via=rng.choice(routes))
    elif k < 0.98:
        ev.update(type="register_listed", register=rng.choice(["tps", "mps", "us_dnc"]))
    else:
        ev.update(type="gpc_signal", value=rng.random() < 0.8)
    w(ev)
