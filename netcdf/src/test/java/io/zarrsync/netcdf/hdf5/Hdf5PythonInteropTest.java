package io.zarrsync.netcdf.hdf5;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.testing.TestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares everything the reader reports with Python netCDF4 (netCDF-C underneath), raw values
 * ({@code set_auto_maskandscale(False)}): dimensions, variables, types, chunking, attributes in
 * order, and the bytes of the data (whole variables up to 2M elements, two boxes of larger ones).
 */
class Hdf5PythonInteropTest {
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  static final String DUMP =
      """
      import sys, json, hashlib, ctypes, ctypes.util
      import numpy as np
      import netCDF4

      KIND = {'i1': 'BYTE', 'u1': 'UBYTE', 'i2': 'SHORT', 'u2': 'USHORT', 'i4': 'INT',
              'u4': 'UINT', 'i8': 'LONG', 'u8': 'ULONG', 'f4': 'FLOAT', 'f8': 'DOUBLE'}
      BIG = 2_000_000

      def kind(dt):
          if dt == str or getattr(dt, 'kind', None) in ('O', 'U'):
              return 'STRING'
          dt = np.dtype(dt)
          if dt.kind == 'S':
              return 'CHAR' if dt.itemsize == 1 else 'STRING'
          return KIND[dt.str[1:]]

      LIB = ctypes.CDLL(ctypes.util.find_library('netcdf'))
      LIB.nc_inq_atttype.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
                                     ctypes.POINTER(ctypes.c_int)]
      LIB.nc_inq_attlen.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p,
                                    ctypes.POINTER(ctypes.c_size_t)]
      LIB.nc_get_att_text.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
      NC_TYPES = {1: 'BYTE', 2: 'CHAR', 3: 'SHORT', 4: 'INT', 5: 'FLOAT', 6: 'DOUBLE', 7: 'UBYTE',
                  8: 'USHORT', 9: 'UINT', 10: 'LONG', 11: 'ULONG', 12: 'STRING'}

      def attr(ncid, varid, name, v):
          # netCDF4-python shows NC_CHAR and one-element NC_STRING alike: ask libnetcdf.
          t = ctypes.c_int()
          if LIB.nc_inq_atttype(ncid, varid, name.encode('utf-8'), ctypes.byref(t)) != 0:
              raise RuntimeError('nc_inq_atttype ' + name)
          k = NC_TYPES.get(t.value, 'UNSUPPORTED:%d' % t.value)
          if k == 'CHAR':
              # netCDF4-python drops every NUL from text; the raw text keeps inner ones.
              n = ctypes.c_size_t()
              LIB.nc_inq_attlen(ncid, varid, name.encode('utf-8'), ctypes.byref(n))
              buf = ctypes.create_string_buffer(n.value + 1)
              LIB.nc_get_att_text(ncid, varid, name.encode('utf-8'), buf)
              return [k, [buf.raw[:n.value].rstrip(b'\\0').decode('utf-8', 'replace')]]
          if k == 'STRING':
              return [k, [v] if isinstance(v, str) else [str(x) for x in v]]
          a = np.atleast_1d(np.asarray(v))
          if a.dtype.kind == 'f':
              return [k, [repr(float(x)) for x in a]]
          return [k, [str(int(x)) for x in a]]

      def attrs(ncid, varid, obj):
          return [[n] + attr(ncid, varid, n, obj.getncattr(n)) for n in obj.ncattrs()]

      def boxes(shape):
          n = int(np.prod(shape)) if shape else 1
          if n <= BIG:
              return [[[0] * len(shape), list(shape)]]
          r = len(shape)
          first = [min(s, 3) if i < r - 2 else min(s, 700) for i, s in enumerate(shape)]
          mid = [s // 2 for s in shape]
          cnt = [min(s - m, 1 if i < r - 2 else 333) for i, (s, m) in enumerate(zip(shape, mid))]
          return [[[0] * r, first], [mid, cnt]]

      def digest(var, k, origin, count):
          if origin:
              a = var[tuple(slice(o, o + c) for o, c in zip(origin, count))]
          else:
              a = var.getValue()
          a = np.ma.getdata(a)
          if k == 'STRING':
              flat = ['' if x is None else str(x) for x in np.asarray(a, dtype=object).ravel()]
              data = '\\0'.join(flat).encode('utf-8')
          else:
              a = np.asarray(a)
              if a.dtype.kind == 'S':
                  a = a.view('u1')
              data = np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<')).tobytes()
          return hashlib.sha256(data).hexdigest()

      def path(g):
          return '' if g.path == '/' else g.path.strip('/') + '/'

      def group(g, out):
          for name, d in g.dimensions.items():
              out['dims'].append([path(g) + name, len(d), d.isunlimited()])
          for name, v in g.variables.items():
              v.set_auto_maskandscale(False)
              v.set_auto_chartostring(False)
              k = kind(v.dtype)
              atts = attrs(g._grpid, v._varid, v)
              unsigned = any(a[0] == '_Unsigned' and a[2] == ['true'] for a in atts)
              model = 'U' + k if unsigned and k in ('BYTE', 'SHORT', 'INT', 'LONG') else k
              ch = v.chunking()
              out['vars'].append({
                  'name': path(g) + name, 'type': model,
                  'dims': [path(d.group()) + d.name for d in v.get_dims()],
                  'shape': list(v.shape),
                  'chunks': None if ch == 'contiguous' else list(ch),
                  'attrs': atts,
                  'data': [[o, c, digest(v, k, o, c)] for o, c in boxes(list(v.shape))]})
          for sub in g.groups.values():
              group(sub, out)

      res = {}
      for p in sys.argv[1:]:
          with netCDF4.Dataset(p) as ds:
              out = {'format': ds.data_model, 'dims': [], 'vars': [],
                     'attrs': attrs(ds._grpid, -1, ds)}
              group(ds, out)
              res[p] = out
      print(json.dumps(res))
      """;

  @Test
  void fixturesMatchPythonNetcdf4(@TempDir Path dir) {
    List<Path> files =
        List.of(
            Fixtures.ncgen(dir, "types", "nc4", Fixtures.TYPES_CDL),
            Fixtures.ncgen(dir, "records", "nc4", Fixtures.RECORDS_CDL),
            Fixtures.ncgen(dir, "manyattrs", "nc4", Hdf5DenseStorageTest.manyAttributesCdl()),
            Fixtures.ncgen(dir, "coords", "nc4", Fixtures.COORDS_CDL),
            Fixtures.ncgen(dir, "classic", "nc7", Fixtures.CLASSIC_CDL));
    compareWithPython(files);
  }

  @Test
  void sharedNetcdf4FilesMatchPythonNetcdf4() {
    List<Path> files = new ArrayList<>();
    for (Path p : TestEnvironment.sharedNetcdfFiles()) {
      if (startsWithHdf5Signature(p)) {
        files.add(p);
      }
    }
    TestEnvironment.require(!files.isEmpty(), "no NetCDF-4 files in the shared data set");
    compareWithPython(files);
  }

  private static boolean startsWithHdf5Signature(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      return Arrays.equals(in.readNBytes(8), HDF5);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void compareWithPython(List<Path> files) {
    List<String> args = files.stream().map(Path::toString).toList();
    String json = TestEnvironment.python(DUMP, args, 600);
    JsonNode all;
    try {
      all = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError("python printed no JSON: " + json, e);
    }
    SoftAssertions softly = new SoftAssertions();
    for (Path p : files) {
      JsonNode expected = all.get(p.toString());
      try (NetcdfFile f = NetcdfFiles.open(p)) {
        compare(softly, p.getFileName().toString(), f, expected);
      }
    }
    softly.assertAll();
  }

  private static void compare(SoftAssertions softly, String file, NetcdfFile f, JsonNode py) {
    softly.assertThat(f.format().name()).as(file + " format").isEqualTo(py.get("format").asText());
    Map<String, String> pyDims = new LinkedHashMap<>();
    for (JsonNode d : py.get("dims")) {
      pyDims.put(d.get(0).asText(), d.get(1).asLong() + (d.get(2).asBoolean() ? " unlimited" : ""));
    }
    Map<String, String> dims = new LinkedHashMap<>();
    for (Dimension d : f.dimensions()) {
      dims.put(d.name(), d.length() + (d.unlimited() ? " unlimited" : ""));
    }
    softly.assertThat(dims).as(file + " dimensions").containsExactlyInAnyOrderEntriesOf(pyDims);
    softly
        .assertThat(canonical(f.globalAttributes()))
        .as(file + " global attributes")
        .isEqualTo(canonical(py.get("attrs")));
    List<String> pyNames = new ArrayList<>();
    py.get("vars").forEach(v -> pyNames.add(v.get("name").asText()));
    softly
        .assertThat(f.variables().stream().map(Variable::name).toList())
        .as(file + " variables")
        .isEqualTo(pyNames);
    for (JsonNode pv : py.get("vars")) {
      String name = pv.get("name").asText();
      Variable v = f.findVariable(name).orElse(null);
      if (v == null) {
        continue;
      }
      String what = file + " " + name;
      softly.assertThat(v.dataType().name()).as(what + " type").isEqualTo(pv.get("type").asText());
      List<String> pyVarDims = new ArrayList<>();
      pv.get("dims").forEach(d -> pyVarDims.add(d.asText()));
      softly
          .assertThat(v.dimensions().stream().map(Dimension::name).toList())
          .as(what + " dimensions")
          .isEqualTo(pyVarDims);
      softly.assertThat(v.shape()).as(what + " shape").isEqualTo(longs(pv.get("shape")));
      JsonNode chunks = pv.get("chunks");
      softly
          .assertThat(v.storageChunks().map(Arrays::toString).orElse("contiguous"))
          .as(what + " chunks")
          .isEqualTo(chunks.isNull() ? "contiguous" : Arrays.toString(ints(chunks)));
      softly
          .assertThat(canonical(v.attributes()))
          .as(what + " attributes")
          .isEqualTo(canonical(pv.get("attrs")));
      for (JsonNode box : pv.get("data")) {
        long[] origin = longs(box.get(0));
        int[] count = ints(box.get(1));
        softly
            .assertThat(sha256(v.read(origin, count)))
            .as(what + " data " + Arrays.toString(count) + " at " + Arrays.toString(origin))
            .isEqualTo(box.get(2).asText());
      }
    }
  }

  /** Attributes as "name TYPE [values]" lines, numbers compared by value. */
  private static List<String> canonical(List<Attribute> attributes) {
    List<String> out = new ArrayList<>();
    for (Attribute a : attributes) {
      List<String> values = new ArrayList<>();
      for (Object o : a.values()) {
        values.add(
            o instanceof Float x
                ? Double.toString(x.doubleValue())
                : o instanceof Double x ? x.toString() : o.toString());
      }
      out.add(a.name() + " " + a.type() + " " + values);
    }
    return out;
  }

  private static List<String> canonical(JsonNode attributes) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : attributes) {
      DataType type = DataType.valueOf(a.get(1).asText());
      List<String> values = new ArrayList<>();
      for (JsonNode v : a.get(2)) {
        String s = v.asText();
        values.add(type.isFloatingPoint() ? Double.toString(pyFloat(s)) : s);
      }
      out.add(a.get(0).asText() + " " + type + " " + values);
    }
    return out;
  }

  private static double pyFloat(String s) {
    return switch (s) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  static String sha256(NdArray a) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      if (a.type() == DataType.STRING) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
          if (i > 0) {
            b.append('\0');
          }
          b.append(a.getString(i));
        }
        md.update(b.toString().getBytes(StandardCharsets.UTF_8));
      } else {
        md.update(a.toByteArray());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}
