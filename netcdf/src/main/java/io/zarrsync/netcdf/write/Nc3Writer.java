package io.zarrsync.netcdf.write;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds and writes a NetCDF-3 file (CDF-1 "classic", or CDF-2 when offsets need 64 bits) with the
 * classic types BYTE, CHAR, SHORT, INT, FLOAT and DOUBLE and at most one unlimited dimension.
 *
 * <pre>{@code
 * new Nc3Writer()
 *     .unlimitedDimension("time")
 *     .dimension("lat", 2)
 *     .globalAttribute("title", "demo")
 *     .variable("sst", DataType.SHORT, List.of("time", "lat"), Map.of("_FillValue", (short) -1), data)
 *     .write(path);
 * }</pre>
 *
 * Attribute values may be a String (char), a Number, or an array of byte, short, int, float or
 * double. The record count is the first extent of the record variables' data.
 */
public final class Nc3Writer {
  private static final int NC_DIMENSION = 0x0A;
  private static final int NC_VARIABLE = 0x0B;
  private static final int NC_ATTRIBUTE = 0x0C;

  private final Map<String, Integer> dims = new LinkedHashMap<>(); // -1 = unlimited
  private final Map<String, Object> globalAttrs = new LinkedHashMap<>();
  private final List<Var> vars = new ArrayList<>();

  private record Var(
      String name, DataType type, List<String> dims, Map<String, Object> attrs, NdArray data) {}

  public Nc3Writer dimension(String name, int length) {
    dims.put(name, length);
    return this;
  }

  public Nc3Writer unlimitedDimension(String name) {
    if (dims.containsValue(-1)) {
      throw new IllegalStateException("NetCDF-3 allows one unlimited dimension");
    }
    dims.put(name, -1);
    return this;
  }

  public Nc3Writer globalAttribute(String name, Object value) {
    globalAttrs.put(name, value);
    return this;
  }

  /** Adds a variable; {@code data} has the full shape (the record count first for records). */
  public Nc3Writer variable(
      String name, DataType type, List<String> dimNames, Map<String, Object> attrs, NdArray data) {
    if (typeCode(type) < 0) {
      throw new IllegalArgumentException(type + " is not a NetCDF-3 classic type");
    }
    if (data.type() != type || data.rank() != dimNames.size()) {
      throw new IllegalArgumentException(name + ": data is " + data + " for dims " + dimNames);
    }
    for (int i = 0; i < dimNames.size(); i++) {
      Integer len = dims.get(dimNames.get(i));
      if (len == null) {
        throw new IllegalArgumentException(name + ": unknown dimension " + dimNames.get(i));
      }
      if (len == -1 && i != 0) {
        throw new IllegalArgumentException(name + ": the unlimited dimension must come first");
      }
      if (len != -1 && len != data.shape()[i]) {
        throw new IllegalArgumentException(
            name
                + ": dimension "
                + dimNames.get(i)
                + " is "
                + len
                + ", data has "
                + data.shape()[i]);
      }
    }
    vars.add(new Var(name, type, List.copyOf(dimNames), new LinkedHashMap<>(attrs), data));
    return this;
  }

  /** Writes the file atomically (temp file and rename). */
  public void write(Path path) {
    try {
      Path tmp = Files.createTempFile(path.toAbsolutePath().getParent(), ".nc3-", ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp)) {
        writeTo(os);
      }
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** Writes the file to a stream. */
  public void writeTo(OutputStream os) throws IOException {
    List<String> dimNames = new ArrayList<>(dims.keySet());
    List<Var> fixed = new ArrayList<>();
    List<Var> records = new ArrayList<>();
    int numRecs = 0;
    for (Var v : vars) {
      if (isRecord(v)) {
        records.add(v);
        numRecs = Math.max(numRecs, v.data.shape()[0]);
      } else {
        fixed.add(v);
      }
    }
    for (Var v : records) {
      if (v.data.shape()[0] != numRecs) {
        throw new IllegalArgumentException(
            v.name + " has " + v.data.shape()[0] + " records, others " + numRecs);
      }
    }
    boolean padRecords = records.size() > 1;
    // The header size does not depend on the offsets' values, only on their width.
    boolean offset64 = false;
    byte[] header = header(dimNames, fixed, records, numRecs, 0, false);
    long dataSize = 0;
    for (Var v : fixed) {
      dataSize += pad4(v.data.size() * (long) v.type.size());
    }
    long recSize = recordSize(records, padRecords);
    if (header.length + dataSize + recSize * numRecs > Integer.MAX_VALUE) {
      offset64 = true;
      header = header(dimNames, fixed, records, numRecs, 0, true);
    }
    header = header(dimNames, fixed, records, numRecs, header.length, offset64);
    os.write(header);
    for (Var v : fixed) {
      writeData(os, v.data, 0, v.data.size(), true);
    }
    for (int r = 0; r < numRecs; r++) {
      for (Var v : records) {
        int per = v.data.size() / Math.max(1, numRecs);
        writeData(os, v.data, r * per, per, padRecords);
      }
    }
  }

  private boolean isRecord(Var v) {
    return !v.dims.isEmpty() && dims.get(v.dims.get(0)) == -1;
  }

  private static long pad4(long n) {
    return (n + 3) & ~3L;
  }

  private static long recordSize(List<Var> records, boolean pad) {
    long s = 0;
    for (Var v : records) {
      long per = perRecordBytes(v);
      s += pad ? pad4(per) : per;
    }
    return s;
  }

  private static long perRecordBytes(Var v) {
    int[] shape = v.data.shape();
    long n = v.type.size();
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  private byte[] header(
      List<String> dimNames,
      List<Var> fixed,
      List<Var> records,
      int numRecs,
      int headerSize,
      boolean offset64) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bos)) {
      out.write(new byte[] {'C', 'D', 'F', (byte) (offset64 ? 2 : 1)});
      out.writeInt(numRecs);
      if (dims.isEmpty()) {
        out.writeInt(0);
        out.writeInt(0);
      } else {
        out.writeInt(NC_DIMENSION);
        out.writeInt(dims.size());
        for (Map.Entry<String, Integer> d : dims.entrySet()) {
          writeName(out, d.getKey());
          out.writeInt(Math.max(0, d.getValue()));
        }
      }
      writeAttrs(out, globalAttrs);
      List<Var> ordered = new ArrayList<>(fixed);
      ordered.addAll(records);
      if (ordered.isEmpty()) {
        out.writeInt(0);
        out.writeInt(0);
      } else {
        out.writeInt(NC_VARIABLE);
        out.writeInt(ordered.size());
        long offset = headerSize;
        long recStart = headerSize;
        for (Var v : fixed) {
          recStart += pad4(v.data.size() * (long) v.type.size());
        }
        long recOffset = recStart;
        boolean padRecords = records.size() > 1;
        for (Var v : ordered) {
          writeName(out, v.name);
          out.writeInt(v.dims.size());
          for (String d : v.dims) {
            out.writeInt(dimNames.indexOf(d));
          }
          writeAttrs(out, v.attrs);
          out.writeInt(typeCode(v.type));
          long begin;
          long vsize;
          if (isRecord(v)) {
            vsize = pad4(perRecordBytes(v));
            begin = recOffset;
            recOffset += padRecords ? pad4(perRecordBytes(v)) : perRecordBytes(v);
          } else {
            vsize = pad4(v.data.size() * (long) v.type.size());
            begin = offset;
            offset += vsize;
          }
          out.writeInt((int) Math.min(vsize, 0xFFFFFFFFL));
          if (offset64) {
            out.writeLong(begin);
          } else {
            out.writeInt((int) begin);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  private static void writeName(DataOutputStream out, String name) throws IOException {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
    out.write(new byte[(int) (pad4(b.length) - b.length)]);
  }

  private static void writeAttrs(DataOutputStream out, Map<String, Object> attrs)
      throws IOException {
    if (attrs.isEmpty()) {
      out.writeInt(0);
      out.writeInt(0);
      return;
    }
    out.writeInt(NC_ATTRIBUTE);
    out.writeInt(attrs.size());
    for (Map.Entry<String, Object> a : attrs.entrySet()) {
      writeName(out, a.getKey());
      Object v = a.getValue();
      ByteBuffer values;
      int type;
      int n;
      if (v instanceof String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        type = 2;
        n = b.length;
        values = ByteBuffer.wrap(b);
      } else if (v instanceof Byte b) {
        type = 1;
        n = 1;
        values = ByteBuffer.allocate(1).put(0, b);
      } else if (v instanceof Short s) {
        type = 3;
        n = 1;
        values = ByteBuffer.allocate(2).putShort(0, s);
      } else if (v instanceof Integer i) {
        type = 4;
        n = 1;
        values = ByteBuffer.allocate(4).putInt(0, i);
      } else if (v instanceof Float f) {
        type = 5;
        n = 1;
        values = ByteBuffer.allocate(4).putFloat(0, f);
      } else if (v instanceof Double d) {
        type = 6;
        n = 1;
        values = ByteBuffer.allocate(8).putDouble(0, d);
      } else if (v instanceof byte[] a1) {
        type = 1;
        n = a1.length;
        values = ByteBuffer.wrap(a1);
      } else if (v instanceof short[] a2) {
        type = 3;
        n = a2.length;
        values = ByteBuffer.allocate(2 * n);
        values.asShortBuffer().put(a2);
      } else if (v instanceof int[] a4) {
        type = 4;
        n = a4.length;
        values = ByteBuffer.allocate(4 * n);
        values.asIntBuffer().put(a4);
      } else if (v instanceof float[] af) {
        type = 5;
        n = af.length;
        values = ByteBuffer.allocate(4 * n);
        values.asFloatBuffer().put(af);
      } else if (v instanceof double[] ad) {
        type = 6;
        n = ad.length;
        values = ByteBuffer.allocate(8 * n);
        values.asDoubleBuffer().put(ad);
      } else {
        throw new IllegalArgumentException(
            "attribute " + a.getKey() + ": unsupported value type " + v.getClass().getName());
      }
      out.writeInt(type);
      out.writeInt(n);
      byte[] bytes = new byte[values.capacity()];
      values.position(0);
      values.get(bytes);
      out.write(bytes);
      out.write(new byte[(int) (pad4(bytes.length) - bytes.length)]);
    }
  }

  private static int typeCode(DataType t) {
    return switch (t) {
      case BYTE -> 1;
      case CHAR -> 2;
      case SHORT -> 3;
      case INT -> 4;
      case FLOAT -> 5;
      case DOUBLE -> 6;
      default -> -1;
    };
  }

  private static void writeData(OutputStream os, NdArray data, int from, int count, boolean pad)
      throws IOException {
    int es = data.type().size();
    ByteBuffer le = data.buffer();
    byte[] out = new byte[(int) (pad ? pad4((long) count * es) : (long) count * es)];
    ByteBuffer be = ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN);
    for (int i = 0; i < count; i++) {
      int src = (from + i) * es;
      switch (es) {
        case 1 -> be.put(i, le.get(src));
        case 2 -> be.putShort(i * 2, le.getShort(src));
        case 4 -> be.putInt(i * 4, le.getInt(src));
        case 8 -> be.putLong(i * 8, le.getLong(src));
        default -> throw new IllegalStateException("element size " + es);
      }
    }
    os.write(out);
  }
}
