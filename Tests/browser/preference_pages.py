#!/usr/bin/env python3
"""Drives the unsubscribe and preference pages in headless Chromium (Debian's chromium and
chromium-driver, Python's selenium), against the real server.

A person opts down (texts off, one message a month, a reason) on the preference centre, then out
of everything; another follows the one-click link's page and presses its button. A scanner-style
GET changes nothing. Every step is checked through the API (the decisions, the ledger) and in the
page itself (no console errors, every control labelled, keyboard reachable, text contrast at least
WCAG AA's 4.5:1). Screenshots at phone (390 px) and desktop (1280 px) widths are written to
Tests/browser/output/ (or $BROWSER_OUTPUT).

usage: Tests/browser/preference_pages.py OPTGATE_BINARY
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.environ.get("BROWSER_OUTPUT", os.path.join(HERE, "output"))
PHONE, DESKTOP = (390, 844), (1280, 900)

binary = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="optgate-browser-")
data = os.path.join(work, "data")
failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


def key():
    return subprocess.run([binary, "keys", "create", "--data-dir", data, "--name", "browser test", "--scope", "admin"],
                          check=True, capture_output=True, text=True).stdout.strip()


token = key()
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen([binary, "serve", "--data-dir", data, "--port", str(port), "--log-level", "warning"],
                          stderr=open(os.path.join(work, "server.log"), "w"))


def api(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def allowed(contact, channel):
    status, answer = api("POST", "/v1/decisions", {"contact": contact, "message": {
        "from": "acme", "channel": channel, "purpose": "marketing", "products": ["boots"]}})
    assert status == 200, answer
    return answer["allowed"]


def events(contact):
    return len(api("GET", f"/v1/contacts/{contact}/history")[1]["entries"])


def links(contact):
    status, answer = api("POST", "/v1/links", {"contact": contact, "from": "acme", "channel": "email", "message_id": f"spring-{contact}"})
    assert status == 200, answer
    return answer["unsubscribe_url"], answer["preferences_url"]


def luminance(css):
    r, g, b = [int(x) / 255 for x in re.findall(r"\d+", css)[:3]]
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    la, lb = sorted([luminance(a), luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def page_checks(driver, name, status=200):
    """No console errors; every control labelled; text contrast; keyboard reaches every control.
    A page served with an error status (the 404 of an unknown link) is itself logged by Chromium as
    a failed load: that one line is expected."""
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
              and not (status != 200 and e["source"] == "network" and e["message"].startswith(driver.current_url + " "))]
    check(not errors, f"{name}: no console errors {errors if errors else ''}")
    unlabelled = driver.execute_script("""
        return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => e.labels.length === 0).map(e => e.name || e.id);""")
    check(not unlabelled, f"{name}: every control has a label {unlabelled if unlabelled else ''}")
    pairs = driver.execute_script("""
        function bg(e) { while (e) { const c = getComputedStyle(e).backgroundColor;
            if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; e = e.parentElement; } return 'rgb(255, 255, 255)'; }
        return [...document.querySelectorAll('h1, h2, p, label, legend, button, a, li, option:checked')]
            .filter(e => e.offsetParent !== null && e.textContent.trim())
            .map(e => [e.tagName + ' ' + e.textContent.trim().slice(0, 30), getComputedStyle(e).color, bg(e)]);""")
    low = [(what, round(contrast(fg, bg), 2)) for what, fg, bg in pairs if contrast(fg, bg) < 4.5]
    check(not low, f"{name}: text contrast at least 4.5:1 ({len(pairs)} elements) {low if low else ''}")
    controls = driver.execute_script("""
        return [...document.querySelectorAll('input:not([type=hidden]), select, button, a[href]')].length;""")
    body = driver.find_element(By.TAG_NAME, "body")
    reached = set()
    for _ in range(controls + 2):
        body.send_keys(Keys.TAB) if not reached else driver.switch_to.active_element.send_keys(Keys.TAB)
        reached.add(driver.execute_script("const e = document.activeElement; return e.tagName + (e.id || e.name || e.textContent.trim().slice(0, 20));"))
    check(len(reached) >= controls, f"{name}: the keyboard reaches all {controls} controls (reached {len(reached)})")
    overflow = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth;")
    check(not overflow, f"{name}: no sideways scrolling at {driver.get_window_size()['width']} px")


def press(driver, selector, heading):
    """Clicks a submit button, waits for the page to be replaced, then for the next page's heading.
    While the old page goes away Chromium may answer a lookup with "node does not belong to the
    document": the waits retry through it."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    wait = WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,))
    wait.until(expected_conditions.staleness_of(old))
    wait.until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), heading))


def shoot(driver, name, size):
    driver.set_window_size(*size)
    height = driver.execute_script("return document.documentElement.scrollHeight;")
    driver.set_window_size(size[0], max(size[1], height + 120))
    path = os.path.join(OUTPUT, f"{name}-{'phone' if size == PHONE else 'desktop'}.png")
    driver.save_screenshot(path)
    driver.set_window_size(*size)
    print(f"      screenshot {os.path.relpath(path)}")


try:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/ping", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    status, _ = api("POST", "/v1/events/batch", [
        {"record": "entity", "id": "acme", "kind": "company", "name": "Acme Outdoor"},
        {"record": "product", "id": "boots", "name": "Walking boots", "category": "Footwear"},
        {"record": "product", "id": "socks", "similar_to": ["boots"], "reasoning": "worn with boots", "category": "Footwear"},
        {"record": "product", "id": "tents", "name": "Tents and shelters", "category": "Camping"},
        {"record": "contact", "id": "c-1", "email": "ann@example.com", "phone": "+447700900123", "jurisdiction": "GB"},
        {"record": "contact", "id": "c-2", "email": "bob@example.com", "jurisdiction": "GB"},
    ] + [{"contact": c, "id": f"sale-{c}", "type": "details_collected", "at": "2026-11-01T10:00:00Z", "by": "acme",
          "from": "recipient", "context": "sale", "products": ["boots"], "channels": ["email", "sms"], "refusal_offered": True}
         for c in ("c-1", "c-2")])
    assert status == 201, status
    os.makedirs(OUTPUT, exist_ok=True)

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    driver.set_page_load_timeout(30)
    try:
        # ------------------------------------------------------------ a scanner prefetches the link
        unsubscribe, preferences = links("c-1")
        before = events("c-1")
        urllib.request.urlopen(unsubscribe, timeout=10).read()
        urllib.request.urlopen(preferences, timeout=10).read()
        check(events("c-1") == before and allowed("c-1", "email"), "a scanner-style GET changes nothing")

        # ------------------------------------------------------------ opt down on a phone
        driver.set_window_size(*PHONE)
        driver.get(preferences)
        check("Your choices for Acme Outdoor" in driver.title, "the preference centre names the sender")
        boxes = {e.get_attribute("value"): e for e in driver.find_elements(By.CSS_SELECTOR, "input[name=channel]")}
        check(set(boxes) == {"email", "sms"} and all(b.is_selected() for b in boxes.values()), "email and texts are on (soft opt-in)")
        labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "input[name=category] + label")]
        check(labels == ["Footwear", "Camping"], f"categories are listed by name {labels}")
        page_checks(driver, "preference centre (phone)")
        shoot(driver, "1-preferences", PHONE)
        driver.find_element(By.CSS_SELECTOR, "label[for=channel-sms]").click()
        Select(driver.find_element(By.ID, "frequency")).select_by_visible_text("At most one message a month")
        Select(driver.find_element(By.ID, "reason")).select_by_visible_text("Too many messages")
        press(driver, "button[value=save]", "Your choices are saved")
        text = driver.find_element(By.TAG_NAME, "main").text
        check("Your choices are saved" in text and "No more marketing by text message" in text
              and "At most one message a month" in text, "the confirmation lists the changes")
        page_checks(driver, "saved page (phone)")
        shoot(driver, "2-saved", PHONE)
        check(not allowed("c-1", "sms") and allowed("c-1", "email"), "at once: texts denied, email still allowed")
        history = api("GET", "/v1/contacts/c-1/history")[1]["entries"]
        last = history[-1]["record"]
        check(last.get("evidence", {}).get("reason") == "too_many" and last["event"]["via"] == "preference_centre"
              if last["event"]["type"] == "opt_out" else last["event"]["type"] == "frequency_set",
              "the choices are ledger events with their evidence")

        # ------------------------------------------------------------ then out of everything, on a desktop
        driver.set_window_size(*DESKTOP)
        driver.get(preferences)
        check(not driver.find_element(By.ID, "channel-sms").is_selected(), "the page shows texts off")
        check(driver.find_element(By.CSS_SELECTOR, "#frequency option:checked").text == "At most one message a month",
              "the page shows the limit")
        page_checks(driver, "preference centre (desktop)")
        shoot(driver, "3-preferences-after", DESKTOP)
        press(driver, "button[value=everything]", "Your choices are saved")
        check("You are unsubscribed from all marketing." in driver.find_element(By.TAG_NAME, "main").text, "opted out of everything")
        shoot(driver, "4-out-of-everything", DESKTOP)
        check(not allowed("c-1", "email") and not allowed("c-1", "sms"), "at once: every channel denied")

        # ------------------------------------------------------------ the one-click link's page, pressed by a person
        unsubscribe, _ = links("c-2")
        for size in (PHONE, DESKTOP):
            driver.set_window_size(*size)
            driver.get(unsubscribe)
            check("Unsubscribe from Acme Outdoor?" in driver.find_element(By.TAG_NAME, "h1").text, "the confirmation page asks")
            page_checks(driver, f"unsubscribe page ({size[0]} px)")
            shoot(driver, "5-unsubscribe", size)
        check(allowed("c-2", "email"), "showing the page changed nothing")
        press(driver, "button.primary", "You are unsubscribed")
        check("You are unsubscribed" in driver.find_element(By.TAG_NAME, "h1").text, "the button unsubscribes")
        page_checks(driver, "unsubscribed page")
        shoot(driver, "6-unsubscribed", DESKTOP)
        check(not allowed("c-2", "email") and allowed("c-2", "sms"), "at once: email from acme denied, texts untouched")
        driver.get(base + "/u/not-a-real-link")
        check("This link is not recognised" in driver.find_element(By.TAG_NAME, "h1").text, "an unknown link gets a plain page")
        page_checks(driver, "not-found page", status=404)
    finally:
        driver.quit()
    status, report = api("GET", "/v1/audit/verify")
    check(report["valid"], "the chain verifies after it all")
finally:
    server.terminate()
    server.wait(timeout=30)
    if failures:
        print(open(os.path.join(work, "server.log")).read())
    shutil.rmtree(work, ignore_errors=True)

print(f"\n{'FAILED' if failures else 'OK'}: {len(failures)} failed checks; screenshots in {os.path.relpath(OUTPUT)}")
sys.exit(1 if failures else 0)
