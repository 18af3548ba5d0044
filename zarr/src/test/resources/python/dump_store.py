"""Dumps a Zarr v2 store as zarr-python and xarray see it, as JSON on stdout.

Usage: dump_store.py <store-path>. Used by PythonInteropTest to check stores zarrsync writes.
"""
import json
import sys

import numpy as np
import xarray as xr
import zarr


def plain(v):
    """JSON-able form: bytes as latin-1 text, numpy values as Python values."""
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, np.ndarray):
        return [plain(x) for x in v.reshape(-1).tolist()]
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v).decode("latin-1")
    if isinstance(v, np.generic):
        return plain(v.item())
    if isinstance(v, np.dtype):
        return v.str
    return v


def main(path):
    group = zarr.open_consolidated(path, mode="r")
    out = {"group_attrs": plain(dict(group.attrs)), "zarr": {}, "xarray": {}}
    for name, arr in group.arrays():
        out["zarr"][name] = {
            "dtype": arr.dtype.str,
            "shape": list(arr.shape),
            "chunks": list(arr.chunks),
            "fill_value": plain(arr.fill_value),
            "compressor": arr.compressor.get_config() if arr.compressor else None,
            "filters": [f.get_config() for f in arr.filters] if arr.filters else None,
            "attrs": plain(dict(arr.attrs)),
            "values": plain(np.asarray(arr[...])),
            "nchunks_initialized": arr.nchunks_initialized,
        }
    ds = xr.open_zarr(path, consolidated=True)
    out["xarray"]["attrs"] = plain(dict(ds.attrs))
    for name, var in ds.variables.items():
        enc = {k: plain(var.encoding[k]) for k in ("_FillValue", "scale_factor", "add_offset", "dtype")
               if k in var.encoding}
        out["xarray"][name] = {
            "dims": list(var.dims),
            "attrs": plain(dict(var.attrs)),
            "encoding": enc,
            "dtype": var.dtype.str,
            "values": plain(np.asarray(var.values)),
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
