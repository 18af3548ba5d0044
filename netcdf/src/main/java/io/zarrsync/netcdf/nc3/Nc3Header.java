package io.zarrsync.netcdf.nc3;

import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.InvalidNetcdfFileException;
import io.zarrsync.netcdf.NetcdfFormat;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header of a classic-format file as written: dimensions, global attributes and variables with
 * their type and begin offset. Parsing follows the NetCDF classic format specification; CDF-5
 * widens every count, length and dimension id to 64 bits.
 */
record Nc3Header(
    NetcdfFormat format,
    long numrecs,
    boolean streaming,
    List<DimEntry> dims,
    List<Attribute> globalAttributes,
    List<VarEntry> vars,
    long headerEnd) {

  /** A dimension as written: length 0 marks the unlimited dimension. */
  record DimEntry(String name, long length) {}

  /** A variable as written; {@code dimIds} index {@link Nc3Header#dims()}. */
  record VarEntry(
      String name, List<Integer> dimIds, List<Attribute> attributes, Nc3Type type, long begin) {}

  private static final int NC_DIMENSION = 0x0A;
  private static final int NC_VARIABLE = 0x0B;
  private static final int NC_ATTRIBUTE = 0x0C;

  /** Parses the header at the start of the file behind {@code r}. */
  static Nc3Header parse(HeaderReader r, String file) {
    return new Parser(r, file).parse();
  }

  private static final class Parser {
    private final HeaderReader r;
    private final String file;
    private boolean cdf5;
    private boolean offset64;

    Parser(HeaderReader r, String file) {
      this.r = r;
      this.file = file;
    }

    Nc3Header parse() {
      byte[] magic = r.readBytes(4, "the magic number");
      if (magic[0] != 'C' || magic[1] != 'D' || magic[2] != 'F') {
        throw invalid("not a NetCDF-3 file (no CDF magic)");
      }
      NetcdfFormat format =
          switch (magic[3]) {
            case 1 -> NetcdfFormat.CLASSIC;
            case 2 -> NetcdfFormat.OFFSET_64BIT;
            case 5 -> NetcdfFormat.DATA_64BIT;
            default ->
                throw invalid(
                    "unsupported NetCDF-3 version byte "
                        + (magic[3] & 0xFF)
                        + " (expected 1, 2 or 5)");
          };
      cdf5 = format == NetcdfFormat.DATA_64BIT;
      offset64 = format != NetcdfFormat.CLASSIC;
      long rawNumrecs = cdf5 ? r.readLong("numrecs") : Integer.toUnsignedLong(r.readInt("numrecs"));
      boolean streaming = cdf5 ? rawNumrecs == -1L : rawNumrecs == 0xFFFFFFFFL;
      if (!streaming && rawNumrecs < 0) {
        throw invalid("negative record count " + rawNumrecs);
      }
      List<DimEntry> dims = readDims();
      List<Attribute> gatts = readAttributes("global attributes");
      List<VarEntry> vars = readVars(dims.size());
      return new Nc3Header(
          format, streaming ? 0 : rawNumrecs, streaming, dims, gatts, vars, r.position());
    }

    private List<DimEntry> readDims() {
      long n = readListHeader(NC_DIMENSION, "dimension list");
      checkCount(n, cdf5 ? 16 : 8, "dimensions");
      List<DimEntry> dims = new ArrayList<>((int) n);
      boolean sawUnlimited = false;
      for (int i = 0; i < n; i++) {
        String name = readName("name of dimension " + i);
        long length = readNonNeg("length of dimension " + name);
        if (length == 0) {
          if (sawUnlimited) {
            throw invalid("more than one unlimited dimension (" + name + ")");
          }
          sawUnlimited = true;
        }
        dims.add(new DimEntry(name, length));
      }
      return dims;
    }

    private List<VarEntry> readVars(int ndims) {
      long n = readListHeader(NC_VARIABLE, "variable list");
      checkCount(n, cdf5 ? 48 : 28, "variables");
      List<VarEntry> vars = new ArrayList<>((int) n);
      for (int i = 0; i < n; i++) {
        String name = readName("name of variable " + i);
        long rank = readNonNeg("rank of variable " + name);
        checkCount(rank, cdf5 ? 8 : 4, "dimensions of variable " + name);
        List<Integer> dimIds = new ArrayList<>((int) rank);
        for (int d = 0; d < rank; d++) {
          long id = readNonNeg("dimension ids of variable " + name);
          if (id >= ndims) {
            throw invalid(
                "variable " + name + " refers to dimension id " + id + " but there are " + ndims);
          }
          dimIds.add((int) id);
        }
        List<Attribute> atts = readAttributes("attributes of variable " + name);
        Nc3Type type = readType("type of variable " + name);
        // vsize is recomputed from the shape (it overflows for large CDF-1/2 variables).
        readNonNeg("vsize of variable " + name);
        long begin =
            offset64
                ? r.readLong("begin of variable " + name)
                : Integer.toUnsignedLong(r.readInt("begin of variable " + name));
        if (begin < 0) {
          throw invalid("variable " + name + " has a negative begin offset " + begin);
        }
        vars.add(new VarEntry(name, List.copyOf(dimIds), atts, type, begin));
      }
      return vars;
    }

    private List<Attribute> readAttributes(String what) {
      long n = readListHeader(NC_ATTRIBUTE, what);
      checkCount(n, cdf5 ? 20 : 12, what);
      List<Attribute> atts = new ArrayList<>((int) n);
      for (int i = 0; i < n; i++) {
        String name = readName("attribute name in " + what);
        Nc3Type type = readType("type of attribute " + name);
        long nelems = readNonNeg("length of attribute " + name);
        long bytes;
        try {
          bytes = Math.multiplyExact(nelems, type.size());
        } catch (ArithmeticException e) {
          throw invalid("absurd length " + nelems + " of attribute " + name);
        }
        byte[] raw = r.readBytes(bytes, "values of attribute " + name);
        r.skipPadding(bytes, "padding of attribute " + name);
        atts.add(new Attribute(name, type.dataType(), decodeValues(type, raw)));
      }
      return atts;
    }

    /** Reads a list tag and count; ABSENT (two zeros) yields 0. */
    private long readListHeader(int tag, String what) {
      int t = r.readInt("tag of the " + what);
      long n = readNonNeg("length of the " + what);
      if (t == 0) {
        if (n != 0) {
          throw invalid("the " + what + " is marked absent but has " + n + " elements");
        }
        return 0;
      }
      if (t != tag) {
        throw invalid(
            String.format(
                "bad header: expected the tag of the %s (0x%02X) at offset %d, found 0x%08X",
                what, tag, r.position() - (cdf5 ? 12 : 8), t));
      }
      return n;
    }

    private Nc3Type readType(String what) {
      int code = r.readInt(what);
      Nc3Type t = Nc3Type.fromCode(code, cdf5);
      if (t == null) {
        throw invalid(
            "unknown or unsupported nc_type "
                + code
                + " for the "
                + what
                + (cdf5 ? "" : " (types 7 to 11 need CDF-5)"));
      }
      return t;
    }

    private String readName(String what) {
      long len = readNonNeg("length of the " + what);
      byte[] bytes = r.readBytes(len, what);
      r.skipPadding(len, what);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private long readNonNeg(String what) {
      long at = r.position();
      long v = cdf5 ? r.readLong(what) : Integer.toUnsignedLong(r.readInt(what));
      if (v < 0) {
        throw invalid("negative " + what + " (" + v + ") at offset " + at);
      }
      return v;
    }

    /** Rejects counts that cannot fit in the rest of the file before allocating for them. */
    private void checkCount(long n, int minBytesEach, String what) {
      if (n > r.remaining() / minBytesEach) {
        throw invalid(
            "truncated or absurd header: "
                + n
                + " "
                + what
                + " cannot fit in the "
                + r.remaining()
                + " bytes left after offset "
                + r.position());
      }
    }

    private InvalidNetcdfFileException invalid(String reason) {
      return new InvalidNetcdfFileException(file, reason);
    }
  }

  /** Attribute values in the Java types documented on {@link Attribute}. */
  static List<Object> decodeValues(Nc3Type type, byte[] raw) {
    if (type == Nc3Type.CHAR) {
      int end = raw.length;
      while (end > 0 && raw[end - 1] == 0) {
        end--;
      }
      return List.of(new String(raw, 0, end, StandardCharsets.UTF_8));
    }
    ByteBuffer b = ByteBuffer.wrap(raw); // big-endian, as on disk
    int n = raw.length / type.size();
    List<Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          switch (type.dataType()) {
            case BYTE -> b.get();
            case UBYTE -> (short) (b.get() & 0xFF);
            case SHORT -> b.getShort();
            case USHORT -> b.getShort() & 0xFFFF;
            case INT -> b.getInt();
            case UINT -> b.getInt() & 0xFFFFFFFFL;
            case LONG -> b.getLong();
            case ULONG -> unsigned(b.getLong());
            case FLOAT -> b.getFloat();
            case DOUBLE -> b.getDouble();
            default -> throw new AssertionError(type);
          });
    }
    return out;
  }

  private static BigInteger unsigned(long v) {
    BigInteger b = BigInteger.valueOf(v);
    return v >= 0 ? b : b.add(BigInteger.ONE.shiftLeft(64));
  }

  /** The model type of a variable: the file type with {@code _Unsigned = "true"} applied. */
  static DataType modelType(Nc3Type type, List<Attribute> attributes) {
    for (Attribute a : attributes) {
      if (a.name().equals("_Unsigned") && "true".equalsIgnoreCase(a.stringValue())) {
        return type.dataType().toUnsigned();
      }
    }
    return type.dataType();
  }
}
