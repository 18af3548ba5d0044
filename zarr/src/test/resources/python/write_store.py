"""Writes Zarr v2 stores with zarr-python 2 and xarray, plus the values they hold as JSON.

Usage: write_store.py <dir>. Creates <dir>/zarr.zarr (zarr-python API), <dir>/xarray.zarr
(xarray.Dataset.to_zarr) and <dir>/expected.json. Used by PythonInteropTest.
"""
import json
import os
import sys

import numpy as np
import xarray as xr
import zarr
from numcodecs import VLenUTF8, Zlib, Zstd


def flat(a):
    out = []
    for x in np.asarray(a).reshape(-1).tolist():
        out.append(x.decode("latin-1") if isinstance(x, bytes) else x)
    return out


def main(base):
    expected = {"zarr": {}, "xarray": {}}
    path = os.path.join(base, "zarr.zarr")
    root = zarr.open_group(path, mode="w")
    root.attrs.update({"title": "written by zarr-python", "nan": float("nan"), "ints": [1, 2, 3],
                       "unicode": "d\u00e9j\u00e0 vu"})

    i2 = root.create("i2", shape=(5, 7), chunks=(2, 3), dtype="<i2", fill_value=-32768,
                     compressor=Zstd(level=3))
    i2[0:4, 0:6] = np.arange(24, dtype="<i2").reshape(4, 6) * 3 - 20
    i2[4, 6] = 99  # an edge chunk; chunk (2, 0) and (2, 1) stay missing
    i2.attrs.update({"scale_factor": 0.01, "add_offset": 273.15, "_ARRAY_DIMENSIONS": ["y", "x"]})

    f4 = root.create("f4", shape=(10,), chunks=(4,), dtype="<f4", fill_value=np.nan,
                     compressor=Zlib(level=1))
    f4[0:6] = np.linspace(-1.5, 2.5, 6, dtype="<f4")
    f4.attrs["_ARRAY_DIMENSIONS"] = ["t"]

    f8 = root.create("f8", shape=(3, 3), chunks=(3, 3), dtype="<f8", fill_value=0.0,
                     compressor=None)
    f8[:] = np.array([[1e300, -0.0, np.inf], [np.nan, 2.5, -7], [1, 2, 3]])
    f8.attrs["_ARRAY_DIMENSIONS"] = ["a", "b"]

    u1 = root.create("u1", shape=(6,), chunks=(4,), dtype="|u1", fill_value=255,
                     compressor=Zstd(level=1))
    u1[:] = np.array([0, 1, 128, 254, 255, 7], dtype="u1")
    u1.attrs["_ARRAY_DIMENSIONS"] = ["t6"]

    u8 = root.create("u8", shape=(3,), chunks=(2,), dtype="<u8", fill_value=0,
                     compressor=Zstd(level=5))
    u8[:] = np.array([2**64 - 2, 1, 2**63], dtype="u8")
    u8.attrs["_ARRAY_DIMENSIONS"] = ["t3"]

    s6 = root.create("s6", shape=(4,), chunks=(3,), dtype="|S6", fill_value=b"",
                     compressor=Zlib(level=1))
    s6[:] = np.array([b"abc", b"abcdef", b"", b"x y"], dtype="S6")
    s6.attrs["_ARRAY_DIMENSIONS"] = ["t4"]

    vs = root.create("vs", shape=(5,), chunks=(2,), dtype=object, object_codec=VLenUTF8(),
                     compressor=Zstd(level=3))
    vs[0:4] = np.array(["ab", "\u043a\u043b\u044e\u0447", "", "z"], dtype=object)
    vs.attrs["_ARRAY_DIMENSIONS"] = ["t5"]

    nested = root.create("nested", shape=(4, 4), chunks=(2, 2), dtype="<i4", fill_value=-1,
                         compressor=Zlib(level=1), dimension_separator="/")
    nested[1:4, 0:3] = np.arange(9, dtype="<i4").reshape(3, 3)
    nested.attrs["_ARRAY_DIMENSIONS"] = ["p", "q"]

    zarr.consolidate_metadata(path)
    for name, arr in root.arrays():
        expected["zarr"][name] = {"shape": list(arr.shape), "values": flat(arr[...])}

    ds = xr.Dataset(
        {
            "sst": (("time", "lat"), (np.arange(12, dtype="f4").reshape(3, 4) - 2) / 4,
                    {"units": "kelvin"}),
            "count": (("time",), np.array([3, 0, 1], dtype="<i8")),
        },
        coords={"time": [0.0, 1.0, 2.0], "lat": [-10.0, -5.0, 0.0, 5.0]},
        attrs={"source": "xarray"},
    )
    encoding = {
        "sst": {"compressor": Zstd(level=2), "chunks": (2, 3), "_FillValue": np.float32(-999)},
        "count": {"compressor": Zlib(level=1), "chunks": (2,)},
        "time": {"compressor": Zstd(level=1)},
        "lat": {"compressor": Zlib(level=9)},
    }
    xpath = os.path.join(base, "xarray.zarr")
    ds.to_zarr(xpath, mode="w", encoding=encoding, consolidated=True)
    for name, var in ds.variables.items():
        expected["xarray"][name] = {"shape": list(var.shape), "values": flat(var.values)}

    with open(os.path.join(base, "expected.json"), "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main(sys.argv[1])
