#!/usr/bin/env python3
"""Synthetic member histories as JSON Lines (INTERFACES.md §1), for the benchmarks.

Stands in for `merit gen` until it lands; same vocabulary as the program of LANGUAGE.md §4
(bench/programs/yanxuan.merit): purchase, refund, signin, share, review; redeem `coffee`, use
`free_shipping`, set `birthday`/`city`. Python standard library only; seeded and reproducible.

  make_events.py --members 1000000 --events 10000000 --seed 1 > events.jsonl
  make_events.py --peers --members 100000 --events 1000000 --seed 1 > purchases.jsonl

The model (the same as bench/stream.cpp, not the same draws): operations in time order over
--days days from 2026-01-01 (Asia/Shanghai); members drawn with a heavy tail (rank = N·u³: the
busiest 1% make about 14% of the operations); purchase amounts log-normal (median ¥90, long
tail, cents) over Zipf-weighted categories and three channels; refunds and reviews of a member's
recent orders; about 1% duplicates (an earlier line sent again, as retries do).

--peers writes the input of bench/peers: one `enroll` event per member first (data: growth and the
level that growth gives on the ladder of bench/peers/merit_rule.merit), then purchases only, no
duplicates.
"""
import argparse
import math
import random
import sys
from datetime import datetime, timedelta, timezone

CATEGORIES = ["food", "apparel", "home", "beauty", "baby", "digital", "books", "sports", "pets",
              "health", "travel", "gifts"]
CATEGORY_WEIGHTS = [1.0 / (i + 1) for i in range(len(CATEGORIES))]
SHARE_TARGETS = ["wechat", "moments", "weibo", "qq"]
CITIES = ["上海", "北京", "杭州", "广州", "深圳", "成都", "武汉", "南京"]
# (kind, share of operations)
MIX = [("purchase", 0.38), ("refund", 0.02), ("signin", 0.35), ("share", 0.10), ("review", 0.08),
       ("redeem", 0.01), ("use", 0.02), ("set", 0.01)]
# The ladder of bench/peers/merit_rule.merit (and of LANGUAGE.md §4): (level, from).
LADDER = [("V1", 0), ("V2", 1000), ("V3", 5000), ("V4", 20000)]
START = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8))).astimezone(timezone.utc)


class Clock:
    """Formats rising UTC times quickly: the date part is cached per day."""

    def __init__(self):
        self.day = None
        self.prefix = ""

    def text(self, seconds_since_start):
        day, sec = divmod(int(seconds_since_start + START.hour * 3600), 86400)
        if day != self.day:
            self.day = day
            self.prefix = (START.replace(hour=0) + timedelta(days=day)).strftime("%Y-%m-%dT")
        h, rest = divmod(sec, 3600)
        m, s = divmod(rest, 60)
        return f"{self.prefix}{h:02d}:{m:02d}:{s:02d}Z"


def amount(rng):
    yuan = min(max(90.0 * math.exp(1.1 * rng.gauss(0.0, 1.0)), 0.5), 50000.0)
    cents = round(yuan * 100)
    return f"{cents // 100}.{cents % 100:02d}"


def pick_member(rng, n):
    # rank density ∝ (x + x0)^(-2/3), x0 = n/1000 (see bench/stream.cpp)
    x0 = n / 1000.0
    c0, c1 = x0 ** (1 / 3), (n + x0) ** (1 / 3)
    r = c0 + rng.random() * (c1 - c0)
    rank = min(max(int(r * r * r - x0), 0), n - 1)
    return (rank * 2654435761) % n


def history(args, out):
    rng = random.Random(args.seed)
    n = args.members
    orders = [0] * n
    kinds = [k for k, _ in MIX]
    cum, acc = [], 0.0
    for _, w in MIX:
        acc += w
        cum.append(acc)
    cum[-1] = 1.0
    clock = Clock()
    span = args.days * 86400
    recent = []
    write = out.write
    for i in range(args.events):
        if recent and rng.random() < args.duplicates:
            write(recent[rng.randrange(len(recent))])
            continue
        t = clock.text(i * span / args.events)
        m = pick_member(rng, n)
        member = f"m{m:07d}"
        u = rng.random()
        k = 0
        while u >= cum[k]:
            k += 1
        kind = kinds[k]
        if kind in ("refund", "review") and orders[m] == 0:
            kind = "purchase" if kind == "refund" else "signin"
        head = f'{{"id":"e{i}","member":"{member}","time":"{t}",'
        if kind == "purchase":
            orders[m] += 1
            cat = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
            c = rng.random()
            ch = "app" if c < 0.6 else "mini_program" if c < 0.85 else "web"
            line = (f'{head}"type":"purchase","data":{{"amount":{amount(rng)},"category":"{cat}",'
                    f'"channel":"{ch}","order_id":"{m:07d}{orders[m]:05d}"}}}}\n')
        elif kind == "refund":
            k2 = orders[m] - rng.randrange(min(orders[m], 3))
            line = f'{head}"type":"refund","data":{{"order_id":"{m:07d}{k2:05d}"}}}}\n'
        elif kind == "signin":
            line = f'{head}"type":"signin"}}\n'
        elif kind == "share":
            line = f'{head}"type":"share","data":{{"target":"{rng.choice(SHARE_TARGETS)}"}}}}\n'
        elif kind == "review":
            k2 = orders[m] - rng.randrange(min(orders[m], 5))
            line = (f'{head}"type":"review","data":{{"order_id":"{m:07d}{k2:05d}",'
                    f'"stars":{rng.randint(1, 5)}}}}}\n')
        elif kind == "redeem":
            line = f'{head}"op":"redeem","reward":"coffee","quantity":1}}\n'
        elif kind == "use":
            line = f'{head}"op":"use","privilege":"free_shipping"}}\n'
        else:
            b = START.date() - timedelta(days=rng.randrange(21 * 365, 56 * 365))
            line = (f'{head}"op":"set","attributes":{{"birthday":"{b.isoformat()}",'
                    f'"city":"{rng.choice(CITIES)}"}}}}\n')
        write(line)
        if len(recent) < 1000:
            recent.append(line)
        else:
            recent[rng.randrange(1000)] = line


def peers(args, out):
    rng = random.Random(args.seed)
    n = args.members
    clock = Clock()
    write = out.write
    for m in range(n):
        # A level per member: 40% V1, 30% V2, 20% V3, 10% V4; growth inside that level's band.
        u = rng.random()
        lv = 0 if u < 0.4 else 1 if u < 0.7 else 2 if u < 0.9 else 3
        lo = LADDER[lv][1]
        hi = LADDER[lv + 1][1] if lv + 1 < len(LADDER) else 60000
        growth = rng.randrange(lo, hi)
        write(f'{{"id":"j{m}","member":"m{m:07d}","time":"{clock.text(0)}","type":"enroll",'
              f'"data":{{"growth":{growth},"level":"{LADDER[lv][0]}"}}}}\n')
    span = args.days * 86400
    for i in range(args.events):
        t = clock.text(60 + i * (span - 60) / args.events)
        m = pick_member(rng, n)
        cat = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        c = rng.random()
        ch = "app" if c < 0.6 else "mini_program" if c < 0.85 else "web"
        write(f'{{"id":"p{i}","member":"m{m:07d}","time":"{t}","type":"purchase","data":'
              f'{{"amount":{amount(rng)},"category":"{cat}","channel":"{ch}","order_id":"o{i}"}}}}\n')


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--members", type=int, default=1000000)
    p.add_argument("--events", type=int, default=10000000)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--duplicates", type=float, default=0.01, help="share of lines sent twice")
    p.add_argument("--peers", action="store_true", help="enroll events, then purchases only")
    p.add_argument("--out", default="-", help="file to write (default: stdout)")
    args = p.parse_args()
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", buffering=1 << 20)
    (peers if args.peers else history)(args, out)
    out.flush()


if __name__ == "__main__":
    main()
