"""Sell the seats of a small hall to many buyers at once, and never sell
one seat twice.

Redis runs the commands of one instance on one thread, and MULTI ... EXEC
runs a block of commands as one, with nothing from other clients in
between. WATCH makes that block conditional: if another client changes a
watched key after our WATCH and before our EXEC, Redis refuses the EXEC
(redis-py raises WatchError) and we look again. So a buyer reads which
seats are free, then buys them only if nobody bought anything meanwhile.

Run it with the lab's Python, with the lab's Redis started:

    ~/envs/study-hall/bin/python ~/lab/seats.py              (Linux, macOS)
    %USERPROFILE%\\envs\\study-hall\\Scripts\\python ~/lab/seats.py  (Windows)

Written for every Python the lab has, 3.4 (Windows XP) to 3.12, and for
redis-py 3 and newer.
"""
from __future__ import print_function

import argparse
import random
import sys
import threading

import redis

HALL = "study-hall:seats"  # a hash: seat -> the buyer who has it
ROWS = "ABCDE"
PER_ROW = 8
SEATS = ["%s%d" % (row, n) for row in ROWS for n in range(1, PER_ROW + 1)]


def buy(r, buyer, wanted):
    """Buy every seat in wanted for buyer, or none of them.

    Returns True when the seats are now the buyer's, False when one of
    them was sold already.
    """
    with r.pipeline() as pipe:
        while True:
            try:
                pipe.watch(HALL)  # from here the pipeline runs commands at once
                holders = pipe.hmget(HALL, wanted)
                if any(h is not None for h in holders):
                    return False  # someone has one of them: no sale
                pipe.multi()  # from here commands are queued ...
                for seat in wanted:
                    pipe.hset(HALL, seat, buyer)
                pipe.execute()  # ... and run together, unless HALL changed
                return True
            except redis.WatchError:
                continue  # another sale got in first: look again


def shop(r, buyer, seed, results, lock):
    """One buyer: asks for 1 to 3 seats side by side until 20 refusals."""
    rng = random.Random(seed)
    got = []
    refused = 0
    while refused < 20:
        n = rng.randint(1, 3)
        row = rng.choice(ROWS)
        first = rng.randint(1, PER_ROW - n + 1)
        wanted = ["%s%d" % (row, i) for i in range(first, first + n)]
        if buy(r, buyer, wanted):
            got.extend(wanted)
        else:
            refused += 1
    with lock:
        results[buyer] = got


def show(sold):
    """Print the hall, each seat with the number of its buyer."""
    for row in ROWS:
        cells = []
        for n in range(1, PER_ROW + 1):
            holder = sold.get("%s%d" % (row, n))
            cells.append(holder[-2:] if holder else "..")
        print("  %s  %s" % (row, " ".join(cells)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="localhost")
    ap.add_argument("--port", type=int, default=6379)
    ap.add_argument("--buyers", type=int, default=12)
    ap.add_argument("--seed", type=int, default=2012)
    args = ap.parse_args()

    r = redis.StrictRedis(host=args.host, port=args.port, decode_responses=True)
    try:
        r.ping()
    except redis.ConnectionError as e:
        print("cannot reach redis on %s:%d: %s" % (args.host, args.port, e))
        return 2
    r.delete(HALL)

    results, lock, threads = {}, threading.Lock(), []
    for i in range(args.buyers):
        buyer = "buyer%02d" % (i + 1)
        client = redis.StrictRedis(host=args.host, port=args.port, decode_responses=True)
        t = threading.Thread(target=shop, args=(client, buyer, args.seed + i, results, lock))
        threads.append(t)
        t.start()
    for t in threads:
        t.join()

    sold = r.hgetall(HALL)
    show(sold)
    claimed = sum(len(got) for got in results.values())
    wrong = [(b, s) for b, got in results.items() for s in got if sold.get(s) != b]
    print("%d buyers, %d of %d seats sold, %d claimed by buyers"
          % (len(results), len(sold), len(SEATS), claimed))
    if wrong or claimed != len(sold):
        for b, s in wrong:
            print("seat %s: %s thinks it is theirs, redis says %s" % (s, b, sold.get(s)))
        print("FAIL: a seat was sold twice")
        return 1
    print("OK: every seat sold at most once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
