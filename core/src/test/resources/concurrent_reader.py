"""Opens a ConstantDays store with xarray while a writer commits, and checks each view.

usage: concurrent_reader.py loop STORE STOP_FILE LAT_CHUNK LON_CHUNK
       concurrent_reader.py serve LAT_CHUNK LON_CHUNK      (one store path per stdin line)

Every cell of day d, revision r is d*10 + r (arrays a and b), and row i holds day i. A view is
xarray.open_zarr(STORE, consolidated=True) with every variable loaded. For every row, variable and
chunk-sized block the reader checks that the block is all missing or one constant value v with
v // 10 == the day of the row's time coordinate, that every slot's time is its nominal time
(day i), and that a block never goes back to an older revision than one seen before. Those are
violations; the in-between states a commit may show are counted:
  rows_with_mixed_revisions  one row shows two revisions (in different chunks or variables)
  rows_partly_missing        some chunks of a row are missing, others are not
  rows_a_b_differ            arrays a and b of one row are at different revisions

loop mode runs until STOP_FILE exists and prints JSON lines:
  {"ready": true}                                   imports done
  {"open": n, "start": t0, "end": t1, "len": L}     one view opened and fully loaded (epoch s)
  {"open_failure": "..."} / {"load_failure": "..."} xarray could not open or load
  {"violation": "..."}                              a torn, mixed or misplaced chunk, a wrong time
  {"summary": {...}}                                counts, and the (day, revision) pairs seen
serve mode answers each path with one line {"ok": bool, "error": ..., "violations": [...],
"len": L, "counts": {...}} (counts are cumulative).
"""
import json
import os
import sys
import time
import traceback

import numpy as np
import xarray as xr

origin = np.datetime64("2022-01-01T00:00:00", "ns")
one_day = np.timedelta64(1, "D")


class Checker:
    def __init__(self, lat_chunk, lon_chunk):
        self.lat_chunk, self.lon_chunk = lat_chunk, lon_chunk
        self.counts = {"opens": 0, "open_failures": 0, "load_failures": 0, "violations": 0,
                       "rows": 0, "blocks": 0, "missing_rows": 0,
                       "rows_with_mixed_revisions": 0, "rows_partly_missing": 0,
                       "rows_a_b_differ": 0}
        self.best = {}       # (var, row, block) -> highest revision seen
        self.seen = set()    # (day, revision) pairs seen
        self.lengths = set()

    def view(self, store):
        """Opens and checks one view: (error or None, violations, length)."""
        try:
            ds = xr.open_zarr(store, consolidated=True, chunks=None)
        except Exception as e:  # noqa: BLE001 - every failure to open is what we look for
            self.counts["open_failures"] += 1
            return "open: %s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()), [], 0
        self.counts["opens"] += 1
        try:
            with ds:
                return (None,) + self.check(ds, self.counts["opens"])
        except Exception as e:  # noqa: BLE001
            self.counts["load_failures"] += 1
            return "load: %s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()), [], 0

    def check(self, ds, n_open):
        violations = []
        times = ds["time"].values
        n = len(times)
        self.lengths.add(n)
        days = (times - origin) / one_day
        data = {v: ds[v].values for v in ("a", "b")}
        lat, lon = data["a"].shape[1], data["a"].shape[2]
        lc, oc = self.lat_chunk, self.lon_chunk
        for i in range(n):
            self.counts["rows"] += 1
            if days[i] != i:
                violations.append("view %d (length %d): slot %d has time %s, not day %d"
                                  % (n_open, n, i, times[i], i))
            row_revs, row_missing, row_blocks, per_var = set(), 0, 0, {}
            for var, arr in data.items():
                var_revs = set()
                for bi in range(0, lat, lc):
                    for bj in range(0, lon, oc):
                        self.counts["blocks"] += 1
                        row_blocks += 1
                        block = arr[i, bi:bi + lc, bj:bj + oc]
                        nan = np.isnan(block)
                        where = "view %d: %s row %d block (%d,%d)" % (n_open, var, i, bi, bj)
                        if nan.all():
                            row_missing += 1
                            continue
                        if nan.any():
                            violations.append("%s is partly missing: %s" % (where, np.unique(block)))
                            continue
                        values = np.unique(block)
                        if len(values) != 1:
                            violations.append("%s mixes values %s" % (where, values))
                            continue
                        v = int(values[0])
                        if v // 10 != days[i] or v // 10 != i:
                            violations.append("%s (time %s) holds day %d's data (%d)"
                                              % (where, times[i], v // 10, v))
                            continue
                        r = v % 10
                        key = (var, i, bi, bj)
                        if r < self.best.get(key, -1):
                            violations.append("%s went back from revision %d to %d"
                                              % (where, self.best[key], r))
                        self.best[key] = max(self.best.get(key, -1), r)
                        self.seen.add((i, r))
                        row_revs.add(r)
                        var_revs.add(r)
                per_var[var] = var_revs
            if row_missing == row_blocks:
                self.counts["missing_rows"] += 1
            elif row_missing:
                self.counts["rows_partly_missing"] += 1
            if len(row_revs) > 1:
                self.counts["rows_with_mixed_revisions"] += 1
            if per_var.get("a") != per_var.get("b"):
                self.counts["rows_a_b_differ"] += 1
        self.counts["violations"] += len(violations)
        return violations, n

    def summary(self):
        out = dict(self.counts)
        out["lengths"] = sorted(self.lengths)
        out["seen"] = sorted([d, r] for d, r in self.seen)
        return out


def emit(obj):
    print(json.dumps(obj), flush=True)


def loop(store, stop_file, checker):
    emit({"ready": True})
    while not os.path.exists(stop_file):
        start = time.time()
        error, violations, n = checker.view(store)
        if error is not None:
            emit({("open_failure" if error.startswith("open") else "load_failure"): error})
            continue
        for v in violations:
            emit({"violation": v})
        emit({"open": checker.counts["opens"], "start": start, "end": time.time(), "len": n})
    emit({"summary": checker.summary()})


def serve(checker):
    emit({"ready": True})
    for line in sys.stdin:
        store = line.strip()
        if not store:
            continue
        error, violations, n = checker.view(store)
        emit({"ok": error is None and not violations, "error": error, "violations": violations,
              "len": n, "counts": checker.summary()})


if __name__ == "__main__":
    if sys.argv[1] == "loop":
        loop(sys.argv[2], sys.argv[3], Checker(int(sys.argv[4]), int(sys.argv[5])))
    else:
        serve(Checker(int(sys.argv[2]), int(sys.argv[3])))
