"""Screenshot the ops dashboard of a running stack while intakes stream in (docs/ops-dashboard.png).

    TRIAGE_PLATFORM_TENANT=dev make run       # the dev key then sees every tenant and may pause queues
    .venv/bin/python scripts/dashboard_screenshot.py --key "$(cat .data/dev-api-key)" [--rate 40] [--seconds 40]

It submits synthetic intakes to `--base` at about `--rate` a second for `--seconds` (bounded: it stops by
itself), signs in to `/ops` in headless Chromium (Debian's `chromium`, driven by Playwright) with the
same key (it needs intake:write and ops:read; the dev key has every scope) and saves a full-page
screenshot `--shot-after` seconds into the load. With `--poison N` and the database owner's URL in
DATABASE_URL, N of the intakes are made unreadable for the engine right after submission, so that they
fail for real and the failed-jobs panel has something to show (a demonstration only: never on real data).
Only loopback addresses are accepted as `--base`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
SYMPTOMS = ["cough", "fever", "headache", "rash", "nausea", "dizziness", "sore throat", "back pain"]


def intake(number: int) -> dict[str, object]:
    rng = random.Random(number)  # noqa: S311 (synthetic data, not security)
    return {
        "patient_id": f"P-load-{number % 500:04d}",
        "age": rng.randint(1, 95),
        "symptoms": rng.sample(SYMPTOMS, rng.randint(1, 3)),
        "urgency": rng.choice(["low", "medium", "high"]),
    }


class Load(threading.Thread):
    """Submits intakes at a steady rate until stopped or `seconds` have passed."""

    def __init__(self, base: str, key: str, rate: float, seconds: float, poison: int) -> None:
        super().__init__(daemon=True)
        self.base, self.key, self.rate, self.seconds, self.poison = base, key, rate, seconds, poison
        self.sent = self.accepted = 0
        self.stop = threading.Event()

    def run(self) -> None:
        owner = None
        if self.poison:
            import psycopg

            owner = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
        started = time.monotonic()
        headers = {"Authorization": f"Bearer {self.key}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=10) as client:
            while not self.stop.is_set() and time.monotonic() - started < self.seconds:
                response = client.post("/v1/intakes", json=intake(self.sent))
                self.sent += 1
                if response.status_code == 202:
                    self.accepted += 1
                    if owner is not None and self.poison and self.sent % 25 == 0:
                        owner.execute(
                            "UPDATE intakes SET payload = payload - 'urgency' WHERE id = %s",
                            (response.json()["intake_id"],),
                        )
                        self.poison -= 1
                pause = started + self.sent / self.rate - time.monotonic()
                if pause > 0:
                    self.stop.wait(pause)
        if owner is not None:
            owner.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--key", default=os.environ.get("TRIAGE_KEY"), help="an API key (or TRIAGE_KEY)")
    parser.add_argument("--rate", type=float, default=40.0, help="intakes per second")
    parser.add_argument("--seconds", type=float, default=40.0, help="how long the load lasts (at most)")
    parser.add_argument("--shot-after", type=float, default=30.0, help="seconds into the load")
    parser.add_argument("--poison", type=int, default=0, help="intakes to make fail (needs DATABASE_URL)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "ops-dashboard.png")
    parser.add_argument("--chromium", default=os.environ.get("TRIAGE_CHROMIUM") or shutil.which("chromium"))
    args = parser.parse_args()
    if not args.key:
        parser.error("--key is required (the dev key: .data/dev-api-key)")
    if urlsplit(args.base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--base must be a loopback address: this script sends load")
    if args.poison and not os.environ.get("DATABASE_URL"):
        parser.error("--poison needs the database owner's URL in DATABASE_URL")
    if not args.chromium:
        parser.error("no Chromium found: install Debian's chromium package or pass --chromium")

    from playwright.sync_api import sync_playwright

    load = Load(args.base, args.key, args.rate, args.seconds, args.poison)
    load.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True)
            page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
            page.goto(f"{args.base}/ops")
            page.fill("#key", args.key)
            page.click("button[type=submit]")
            page.mouse.move(0, 0)
            page.wait_for_selector("#panel")
            deadline = time.monotonic() + max(args.shot_after - 2, 0)
            while time.monotonic() < deadline and load.is_alive():
                page.wait_for_timeout(500)
            page.screenshot(path=str(args.out), full_page=True)
            browser.close()
    finally:
        load.stop.set()
        load.join()
    print(f"{load.accepted}/{load.sent} intakes accepted; screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
