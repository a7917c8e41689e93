"""The inspector's pages with 10 vs 10,000 messages: server time per page.

    python -m bench.pages [--pages-small 10] [--pages-large 10000] [--page-rounds 8]
                          [--page-batch 5]
    python -m bench --only pages       (the same, from the whole benchmark)

Two simulators in this process (in memory, clock frozen), one with ``--pages-small`` messages and
one with ``--pages-large``, spread over the main account (90 %) and the Owl Contact Center (10 %),
one in ten undelivered with 30032, the clock moving one second every hundred. Each page is
asked for through the whole app (werkzeug test client: routing, the domain, Jinja), rounds
alternating between the two simulators; the time is the server's, no socket.

Goal (the inspector "opens 10,000 messages as fast as 10"): the first page of
``/inspector/messages`` answers in under 300 ms (p50) with ``--pages-large`` messages. The other
pages are shown for context, with their large/small ratio.
"""
from __future__ import annotations

import argparse
import gc
import re
import sys
import time

from simulator import create_app
from simulator.config import Settings
from simulator.domain.messages import new_message

from .stats import median, pct, ratio, table

GOAL_MS = 300.0
MAIN = "AC02af17f4eb5c599711bcc3c917f73f7a"
OWL = "ACbe3ffa32eebf1db578b3b070032de0ef"
PAGES = {   # label -> path ({middle}: a cursor half-way down the list)
    "messages, first page (goal)": "/inspector/messages",
    "messages, a page half-way down": "/inspector/messages?after={middle}",
    "messages of one account": f"/inspector/messages?account={OWL}",
    "one message": "/inspector/messages/{one}",
    "overview (counts)": "/inspector",
    "messages filtered by status*": "/inspector/messages?status=undelivered",
    "a handset's thread*": "/inspector/handsets/+14155550123",
    "handsets*": "/inspector/handsets",
}
NOT_PAGED = "* scans every message (a filter or a look-up by number): shown, not a goal"


class Site:
    def __init__(self, n: int):
        self.app = create_app(Settings(seed=1, freeze_clock=True))
        self.client = self.app.test_client()
        s = self.app.extensions["twilio_sim"]
        t0 = time.perf_counter()
        sids = []
        for i in range(n):
            if i and i % 100 == 0:
                s.clock.advance(1)
            account = OWL if i % 10 == 9 else MAIN
            sender = "+18445550100" if i % 10 == 3 else "+14155550100"
            m = new_message(s, account, to=f"+1415555{i % 1000:04d}", from_=sender,
                            body=f"message {i}",
                            status="undelivered" if i % 10 == 3 else "delivered")
            sids.append(m["sid"])
        self.fill_seconds = time.perf_counter() - t0
        self.n = n
        self.one = sids[len(sids) // 2]
        # the cursor of the page half-way down, as the pages themselves build it
        self.middle = self._cursor_at(len(sids) // 2)

    def _cursor_at(self, position: int) -> str:
        path, seen = "/inspector/messages?size=200", 0
        while seen + 200 <= position:
            text = self.client.get(path).get_data(as_text=True)
            m = re.search(r'<a rel="next" href="[^"]*after=([^"&]+)', text)
            if not m:
                break
            path, seen = f"/inspector/messages?size=200&after={m.group(1)}", seen + 200
        return path.partition("after=")[2]

    def path(self, template: str) -> str:
        return template.format(middle=self.middle, one=self.one)

    def time(self, template: str, n: int) -> list[int]:
        path = self.path(template)
        out = []
        for _ in range(n):
            t0 = time.perf_counter_ns()
            r = self.client.get(path)
            r.get_data()
            out.append(time.perf_counter_ns() - t0)
            assert r.status_code == 200, (path, r.status_code, r.get_data(as_text=True)[:300])
        return out


def pages_part(args) -> tuple[list[str], bool]:
    print(f"\n[pages] the inspector with {args.pages_small:,} vs {args.pages_large:,} messages, "
          f"{args.page_rounds} rounds x {args.page_batch} requests per page ...", flush=True)
    sites = {"small": Site(args.pages_small), "large": Site(args.pages_large)}
    for k, site in sites.items():
        print(f"  {k}: {site.n:,} messages filled in {site.fill_seconds:.1f}s", flush=True)
    lat = {(k, label): [] for k in sites for label in PAGES}
    for label, template in PAGES.items():   # warm-up, discarded
        for site in sites.values():
            site.time(template, 2)
    gc.collect()
    for rnd in range(args.page_rounds):
        order = list(sites) if rnd % 2 == 0 else list(sites)[::-1]
        for label, template in PAGES.items():
            for k in order:
                lat[k, label] += sites[k].time(template, args.page_batch)
    rows = []
    for label in PAGES:
        small, large = lat["small", label], lat["large", label]
        rows.append([label, f"{pct(small, 50) / 1e6:.1f}", f"{pct(large, 50) / 1e6:.1f}",
                     f"{ratio(pct(large, 50), pct(small, 50)):.2f}",
                     f"{pct(large, 99) / 1e6:.1f}"])
    print()
    small, large = f"{args.pages_small:,}", f"{args.pages_large:,}"
    print(table(["page", f"p50 ms {small}", f"p50 ms {large}", "p50 ratio", f"p99 ms {large}"],
                rows,
                title="Server time of the inspector's pages (werkzeug test client, whole app).\n"
                      + NOT_PAGED))
    goal = pct(lat["large", "messages, first page (goal)"], 50) / 1e6
    ok = goal < GOAL_MS
    lines = [f"{'PASS' if ok else 'FAIL'}  pages: /inspector/messages with {args.pages_large:,} "
             f"messages p50 {goal:.1f} ms (goal < {GOAL_MS:.0f} ms; with {args.pages_small:,}: "
             f"{pct(lat['small', 'messages, first page (goal)'], 50) / 1e6:.1f} ms)"]
    deep = median(lat["large", "messages, a page half-way down"]) / 1e6
    lines.append(f"{'INFO' if deep < GOAL_MS else 'WARN'}  pages: a page half-way down "
                 f"{args.pages_large:,} messages, median {deep:.1f} ms (not a goal)")
    return lines, ok


def add_arguments(p: argparse.ArgumentParser):
    p.add_argument("--pages-small", dest="pages_small", type=int, default=10,
                   help="messages in the small simulator (10)")
    p.add_argument("--pages-large", dest="pages_large", type=int, default=10_000,
                   help="messages in the large simulator (10,000)")
    p.add_argument("--page-rounds", type=int, default=8, help="rounds (8)")
    p.add_argument("--page-batch", type=int, default=5, help="requests per page per round (5)")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    args = p.parse_args(argv)
    lines, _ = pages_part(args)
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
