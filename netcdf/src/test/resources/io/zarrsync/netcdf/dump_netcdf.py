"""Dumps NetCDF files as netCDF4-python sees them, one JSON object per line (for SharedDataInteropTest).

Usage: dump_netcdf.py ROOT LISTFILE  (LISTFILE: one path relative to ROOT per line)

Auto mask/scale and char-to-string are off, so values are raw. Attribute types and the raw bytes of
CHAR attributes come from libnetcdf itself (through ctypes), because netCDF4-python does not expose
the type and removes every NUL from text. Floats are written as hex bit patterns (exact, NaN-safe);
variable values as sha256 of their little-endian bytes (STRING: UTF-8 of each string plus a NUL).
"""
import ctypes
import ctypes.util
import hashlib
import json
import sys

import netCDF4
import numpy as np

LIB = ctypes.CDLL(ctypes.util.find_library("netcdf"))
LIB.nc_inq_atttype.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
LIB.nc_inq_attlen.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t)]
LIB.nc_get_att_text.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
NC_GLOBAL = -1
NC_TYPES = {1: "BYTE", 2: "CHAR", 3: "SHORT", 4: "INT", 5: "FLOAT", 6: "DOUBLE", 7: "UBYTE",
            8: "USHORT", 9: "UINT", 10: "LONG", 11: "ULONG", 12: "STRING"}
DTYPES = {"i1": "BYTE", "u1": "UBYTE", "i2": "SHORT", "u2": "USHORT", "i4": "INT", "u4": "UINT",
          "i8": "LONG", "u8": "ULONG", "f4": "FLOAT", "f8": "DOUBLE", "S1": "CHAR"}


def check(err, what):
    if err != 0:
        raise RuntimeError("%s failed with netCDF error %d" % (what, err))


def attribute(ncid, varid, name, value):
    key = name.encode("utf-8")
    t = ctypes.c_int()
    check(LIB.nc_inq_atttype(ncid, varid, key, ctypes.byref(t)), "nc_inq_atttype " + name)
    kind = NC_TYPES.get(t.value, "UNSUPPORTED:%d" % t.value)
    if kind == "CHAR":
        n = ctypes.c_size_t()
        check(LIB.nc_inq_attlen(ncid, varid, key, ctypes.byref(n)), "nc_inq_attlen " + name)
        buf = ctypes.create_string_buffer(n.value + 1)
        check(LIB.nc_get_att_text(ncid, varid, key, buf), "nc_get_att_text " + name)
        values = [buf.raw[: n.value].rstrip(b"\0").decode("utf-8", "replace")]
    elif kind == "STRING":
        values = [value] if isinstance(value, str) else list(value)
    else:
        arr = np.atleast_1d(np.asarray(value))
        if kind == "FLOAT":
            values = ["%08x" % x for x in arr.astype("<f4").view("<u4")]
        elif kind == "DOUBLE":
            values = ["%016x" % x for x in arr.astype("<f8").view("<u8")]
        else:
            values = [str(int(x)) for x in arr]
    return {"name": name, "type": kind, "values": values}


def attributes(ncid, varid, obj):
    return [attribute(ncid, varid, n, obj.getncattr(n)) for n in obj.ncattrs()]


def variable(grp, path, var):
    if var.dtype == str:
        kind = "STRING"
    else:
        kind = DTYPES.get(np.dtype(var.dtype).str[1:], "UNSUPPORTED:%s" % var.dtype)
    data = var[...]
    h = hashlib.sha256()
    if kind == "STRING":
        for s in np.asarray(data, dtype=object).flat:
            h.update(s.encode("utf-8"))
            h.update(b"\0")
    else:
        a = np.ascontiguousarray(np.asarray(data))
        h.update(a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes())
    return {
        "name": path + var.name,
        "type": kind,
        "dims": list(var.dimensions),
        "shape": [int(n) for n in var.shape],
        "attrs": attributes(grp._grpid, var._varid, var),
        "sha256": h.hexdigest(),
    }


def group(grp, path, out):
    for var in grp.variables.values():
        out.append(variable(grp, path, var))
    for sub in grp.groups.values():
        group(sub, path + sub.name + "/", out)


def dump(root, rel):
    with netCDF4.Dataset(root + "/" + rel) as ds:
        ds.set_auto_maskandscale(False)
        ds.set_auto_chartostring(False)
        variables = []
        group(ds, "", variables)
        return {
            "file": rel,
            "format": ds.data_model,
            "dims": [
                {"name": d.name, "length": len(d), "unlimited": d.isunlimited()}
                for d in ds.dimensions.values()
            ],
            "attrs": attributes(ds._grpid, NC_GLOBAL, ds),
            "vars": variables,
        }


def main():
    root, listfile = sys.argv[1], sys.argv[2]
    with open(listfile, encoding="utf-8") as f:
        files = [line.strip() for line in f if line.strip()]
    for rel in files:
        try:
            record = dump(root, rel)
        except Exception as e:  # reported per file by the Java side
            record = {"file": rel, "error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(record) + "\n")


main()
