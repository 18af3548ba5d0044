"""Answers, for each store path read from stdin (one per line), whether xarray can read it.

Readable means: xarray.open_zarr(path, consolidated=True) works and every variable (data and
coordinates) loads. Prints one JSON line per path: {"ok": true, "vars": n, "sizes": {...}} or
{"ok": false, "error": "..."}. Prints {"ready": true} once the imports are done, so that the
caller can time its checks without the import cost.
"""
import json
import sys

import xarray as xr

print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    path = line.strip()
    if not path:
        continue
    try:
        with xr.open_zarr(path, consolidated=True, chunks=None) as ds:
            for name in ds.variables:
                ds[name].load()
            out = {"ok": True, "vars": len(ds.variables),
                   "sizes": {k: int(v) for k, v in ds.sizes.items()}}
    except Exception as e:  # noqa: BLE001 - the caller wants every failure, whatever its type
        out = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out), flush=True)
