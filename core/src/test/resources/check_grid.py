"""Checks a grid store with xarray: every slot equals its file, empty slots are all missing.

usage: check_grid.py STORE SPEC_JSON
SPEC: {"length": n, "vars": [...], "origin": iso, "step_hours": h,
       "slots": {"i": "file.nc"}, "missing": {"i": ["var", ...]}}
"""
import json
import sys

import numpy as np
import xarray as xr

store, spec = sys.argv[1], json.load(open(sys.argv[2]))
meta = json.load(open(store + "/.zmetadata"))["metadata"]
assert not [k for k in meta if k.startswith(".zarrsync")], "consolidated metadata lists .zarrsync"
ds = xr.open_zarr(store, consolidated=True)
assert not [v for v in ds.variables if v.startswith(".")], list(ds.variables)
n = spec["length"]
assert ds.sizes["time"] == n, (ds.sizes, n)
origin = np.datetime64(spec["origin"].replace("Z", ""), "ns")
step = np.timedelta64(int(spec["step_hours"] * 3600), "s")
expected_times = origin + np.arange(n) * step
assert (ds["time"].values == expected_times).all(), (ds["time"].values, expected_times)
only = spec.get("only")
for i in range(n):
    f = spec["slots"].get(str(i))
    if only is not None and i not in only:
        continue
    nc = xr.open_dataset(f) if f else None
    for var in spec["vars"]:
        z = ds[var].isel(time=i).values
        if nc is None or var in spec.get("missing", {}).get(str(i), []):
            assert np.isnan(z).all(), "slot %d %s should be all missing" % (i, var)
            continue
        v = nc[var].isel(time=0).values
        if var in spec.get("unpacked", []):
            np.testing.assert_allclose(z, v, rtol=1e-6, err_msg="slot %d %s" % (i, var))
            assert ds[var].encoding.get("dtype") == np.dtype("float32"), ds[var].encoding
            assert "scale_factor" not in ds[var].encoding, ds[var].encoding
            continue
        np.testing.assert_array_equal(z, v, err_msg="slot %d %s differs from %s" % (i, var, f))
        assert ds[var].attrs.get("units") == nc[var].attrs.get("units"), var
        assert ds[var].encoding.get("dtype") == nc[var].encoding.get("dtype"), (
            var, ds[var].encoding.get("dtype"), nc[var].encoding.get("dtype"))
    if nc is not None:
        np.testing.assert_array_equal(ds["lat"].values, nc["lat"].values)
        np.testing.assert_array_equal(ds["lon"].values, nc["lon"].values)
        nc.close()
print("OK", n)
