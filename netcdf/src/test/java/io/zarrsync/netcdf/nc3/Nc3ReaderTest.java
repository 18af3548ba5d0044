package io.zarrsync.netcdf.nc3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Cf;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.NetcdfFormat;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.netcdf.testing.Ncgen;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Nc3ReaderTest {
  /** Every classic type, attributes of every type, record variables of several sizes. */
  static final String CLASSIC_TYPES =
      """
      netcdf types {
      dimensions:
        x = 3 ;
        len = 5 ;
        rec = UNLIMITED ;
      variables:
        byte vb(x) ;
          vb:att_byte = -128b, 0b, 127b ;
        char vc(x, len) ;
          vc:att_char = "hello" ;
        short vs(x) ;
          vs:att_short = -32768s, 32767s ;
        int vi(x) ;
          vi:att_int = -2147483648, 2147483647 ;
        float vf(x) ;
          vf:att_float = 1.5f, NaNf, -Infinityf ;
        double vd(x) ;
          vd:att_double = 0.1, Infinity ;
        byte vub(x) ;
          vub:_Unsigned = "true" ;
          vub:_FillValue = -1b ;
        short vus(x) ;
          vus:_Unsigned = "true" ;
        int vui(x) ;
          vui:_Unsigned = "true" ;
        int scalar ;
          scalar:units = "1" ;
        double rd(rec) ;
        short rs(rec, x) ;
        char rc(rec, len) ;

      // global attributes:
        :title = "types fixture" ;
        :empty_text = "" ;
        :one_double = 2.5 ;
      data:
        vb = -128, 0, 127 ;
        vc = "ab", "cdefg", "" ;
        vs = -32768, 0, 32767 ;
        vi = -2147483648, 0, 2147483647 ;
        vf = 1.5, NaNf, -Infinityf ;
        vd = 0.1, -0.0, Infinity ;
        vub = -1, 0, -128 ;
        vus = -1, 1, -32768 ;
        vui = -1, 7, -2147483648 ;
        scalar = 42 ;
        rd = 1, 2, 3, 4 ;
        rs = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 ;
        rc = "r0", "r1", "r2", "r3 x" ;
      }
      """;

  /** The CDF-5 types, in fixed and record variables. */
  static final String CDF5_TYPES =
      """
      netcdf cdf5 {
      dimensions:
        x = 3 ;
        rec = UNLIMITED ;
      variables:
        ubyte u8(x) ;
          u8:att_ubyte = 0UB, 255UB ;
        ushort u16(x) ;
          u16:att_ushort = 65535US ;
        uint u32(x) ;
          u32:att_uint = 4294967295U ;
        int64 i64(x) ;
          i64:att_int64 = -9223372036854775808LL, 9223372036854775807LL ;
        uint64 u64(x) ;
          u64:att_uint64 = 18446744073709551615ULL ;
        int64 rl(rec) ;
        ubyte rb(rec, x) ;
      data:
        u8 = 0, 128, 255 ;
        u16 = 0, 32768, 65535 ;
        u32 = 0, 2147483648, 4294967295 ;
        i64 = -9223372036854775808, 0, 9223372036854775807 ;
        u64 = 0, 9223372036854775808, 18446744073709551615 ;
        rl = -5, 6 ;
        rb = 1, 2, 3, 251, 252, 253 ;
      }
      """;

  /** One record variable: its records are not padded to 4 bytes. */
  static final String ONE_RECORD_VARIABLE =
      """
      netcdf one {
      dimensions:
        rec = UNLIMITED ;
        n = 3 ;
      variables:
        int fixed(n) ;
        short s(rec, n) ;
      data:
        fixed = 7, 8, 9 ;
        s = 1, 2, 3, 4, 5, 6, 7, 8, 9 ;
      }
      """;

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"classic, CLASSIC", "64-bit offset, OFFSET_64BIT", "cdf5, DATA_64BIT"})
  void readsEveryClassicTypeAndItsAttributes(String kind, NetcdfFormat format) {
    Path p = Ncgen.generate(dir, "types", kind, CLASSIC_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      assertThat(f.format()).isEqualTo(format);
      assertThat(f.dimensions())
          .containsExactly(
              new Dimension("x", 3, false),
              new Dimension("len", 5, false),
              new Dimension("rec", 4, true));
      assertThat(f.variables())
          .extracting(Variable::name)
          .containsExactly(
              "vb", "vc", "vs", "vi", "vf", "vd", "vub", "vus", "vui", "scalar", "rd", "rs", "rc");

      assertThat(longs(f, "vb")).containsExactly(-128L, 0L, 127L);
      assertThat(var(f, "vb").dataType()).isEqualTo(DataType.BYTE);
      assertThat(longs(f, "vs")).containsExactly(-32768L, 0L, 32767L);
      assertThat(longs(f, "vi")).containsExactly(-2147483648L, 0L, 2147483647L);
      NdArray vf = var(f, "vf").read();
      assertThat(vf.type()).isEqualTo(DataType.FLOAT);
      assertThat(vf.getDouble(0)).isEqualTo(1.5);
      assertThat(vf.getDouble(1)).isNaN();
      assertThat(vf.getDouble(2)).isEqualTo(Double.NEGATIVE_INFINITY);
      NdArray vd = var(f, "vd").read();
      assertThat(vd.getDouble(0)).isEqualTo(0.1);
      assertThat(Double.doubleToRawLongBits(vd.getDouble(1)))
          .isEqualTo(Double.doubleToRawLongBits(-0.0));
      assertThat(vd.getDouble(2)).isEqualTo(Double.POSITIVE_INFINITY);
      // Little-endian in the array, whatever the file says.
      assertThat(var(f, "vi").read().toByteArray())
          .containsExactly(0, 0, 0, 0x80, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f);

      assertThat(attr(f, "vb", "att_byte"))
          .isEqualTo(attribute(DataType.BYTE, (byte) -128, (byte) 0, (byte) 127));
      assertThat(attr(f, "vc", "att_char")).isEqualTo(Attribute.text("att_char", "hello"));
      assertThat(attr(f, "vs", "att_short").values())
          .containsExactly((short) -32768, (short) 32767);
      assertThat(attr(f, "vi", "att_int").values()).containsExactly(-2147483648, 2147483647);
      List<Object> floats = attr(f, "vf", "att_float").values();
      assertThat(attr(f, "vf", "att_float").type()).isEqualTo(DataType.FLOAT);
      assertThat(floats.get(0)).isEqualTo(1.5f);
      assertThat((Float) floats.get(1)).isNaN();
      assertThat(floats.get(2)).isEqualTo(Float.NEGATIVE_INFINITY);
      assertThat(attr(f, "vd", "att_double").values())
          .containsExactly(0.1, Double.POSITIVE_INFINITY);
      assertThat(f.globalAttributes())
          .containsExactly(
              Attribute.text("title", "types fixture"),
              Attribute.text("empty_text", ""),
              new Attribute("one_double", DataType.DOUBLE, List.of(2.5)));

      Variable scalar = var(f, "scalar");
      assertThat(scalar.shape()).isEmpty();
      assertThat(scalar.dimensions()).isEmpty();
      NdArray s = scalar.read();
      assertThat(s.rank()).isZero();
      assertThat(s.getLong(0)).isEqualTo(42);
    }
  }

  @Test
  void ncgenKindFiveIsCdf5() {
    Path p = Ncgen.generate(dir, "five", "5", CDF5_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      assertThat(f.format()).isEqualTo(NetcdfFormat.DATA_64BIT);
    }
  }

  @Test
  void readsCdf5TypesAndTheirAttributes() {
    Path p = Ncgen.generateViaNetcdf4(dir, "cdf5", "cdf5", CDF5_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      assertThat(f.format()).isEqualTo(NetcdfFormat.DATA_64BIT);
      assertThat(var(f, "u8").dataType()).isEqualTo(DataType.UBYTE);
      assertThat(longs(f, "u8")).containsExactly(0L, 128L, 255L);
      assertThat(var(f, "u16").dataType()).isEqualTo(DataType.USHORT);
      assertThat(longs(f, "u16")).containsExactly(0L, 32768L, 65535L);
      assertThat(var(f, "u32").dataType()).isEqualTo(DataType.UINT);
      assertThat(longs(f, "u32")).containsExactly(0L, 2147483648L, 4294967295L);
      assertThat(var(f, "i64").dataType()).isEqualTo(DataType.LONG);
      assertThat(longs(f, "i64")).containsExactly(Long.MIN_VALUE, 0L, Long.MAX_VALUE);
      assertThat(var(f, "u64").dataType()).isEqualTo(DataType.ULONG);
      // ULONG comes back as raw bits.
      assertThat(longs(f, "u64")).containsExactly(0L, Long.MIN_VALUE, -1L);
      assertThat(var(f, "u64").read().getDouble(2)).isEqualTo(1.8446744073709552e19);

      assertThat(attr(f, "u8", "att_ubyte").values()).containsExactly((short) 0, (short) 255);
      assertThat(attr(f, "u16", "att_ushort").values()).containsExactly(65535);
      assertThat(attr(f, "u32", "att_uint").values()).containsExactly(4294967295L);
      assertThat(attr(f, "i64", "att_int64").values())
          .containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
      assertThat(attr(f, "u64", "att_uint64").values())
          .containsExactly(new BigInteger("18446744073709551615"));

      assertThat(longs(f, "rl")).containsExactly(-5L, 6L);
      assertThat(longs(f, "rb")).containsExactly(1L, 2L, 3L, 251L, 252L, 253L);
      assertThat(var(f, "rb").shape()).containsExactly(2, 3);
    }
  }

  @ParameterizedTest
  @CsvSource({"classic", "64-bit offset", "cdf5"})
  void recordVariablesAreReadAcrossInterleavedRecords(String kind) {
    Path p = Ncgen.generate(dir, "types", kind, CLASSIC_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      assertThat(var(f, "rd").shape()).containsExactly(4);
      assertThat(doubles(var(f, "rd").read())).containsExactly(1.0, 2.0, 3.0, 4.0);
      assertThat(var(f, "rs").shape()).containsExactly(4, 3);
      assertThat(longs(f, "rs")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
      assertThat(longs(var(f, "rs").read(new long[] {1, 1}, new int[] {3, 2})))
          .containsExactly(5L, 6L, 8L, 9L, 11L, 12L);
      assertThat(strings(var(f, "rc").read())).containsExactly("r0", "r1", "r2", "r3 x");
      assertThat(var(f, "rc").dimensions().get(0)).isEqualTo(new Dimension("rec", 4, true));
    }
  }

  @Test
  void theRecordsOfASingleRecordVariableAreNotPadded() throws IOException {
    Path p = Ncgen.generate(dir, "one", "classic", ONE_RECORD_VARIABLE);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      assertThat(longs(f, "s")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(longs(var(f, "s").read(new long[] {2, 0}, new int[] {1, 3})))
          .containsExactly(7L, 8L, 9L);
      assertThat(longs(f, "fixed")).containsExactly(7L, 8L, 9L);
    }
    // 3 records of 6 bytes: a padded layout would need 24 bytes after the first record begins.
    ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(p));
    assertThat(header.getInt(4)).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource({"one, classic", "types, classic", "types, 64-bit offset", "types, cdf5"})
  void streamingRecordCountIsComputedFromTheFileSize(String fixture, String kind)
      throws IOException {
    Path p =
        Ncgen.generate(
            dir, fixture, kind, fixture.equals("one") ? ONE_RECORD_VARIABLE : CLASSIC_TYPES);
    NdArray before;
    long records;
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      records = f.unlimitedDimension().orElseThrow().length();
      before = f.variables().get(f.variables().size() - 1).read();
    }
    boolean cdf5 = kind.equals("cdf5");
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ByteBuffer streaming = ByteBuffer.allocate(cdf5 ? 8 : 4);
      while (streaming.hasRemaining()) {
        streaming.put((byte) 0xFF);
      }
      ch.write(streaming.flip(), 4);
    }
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      assertThat(f.unlimitedDimension().orElseThrow().length()).isEqualTo(records);
      assertThat(f.variables().get(f.variables().size() - 1).read().contentEquals(before)).isTrue();
    }
  }

  @Test
  void anEmptyUnlimitedDimensionGivesEmptyRecordVariables() {
    Path p =
        Ncgen.generate(
            dir,
            "empty",
            "classic",
            """
            netcdf empty {
            dimensions:
              time = UNLIMITED ;
              x = 2 ;
            variables:
              float f(time, x) ;
              int g(time) ;
              short fixed(x) ;
            data:
              fixed = 3, 4 ;
            }
            """);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      assertThat(f.unlimitedDimension()).contains(new Dimension("time", 0, true));
      NdArray a = var(f, "f").read();
      assertThat(a.shape()).containsExactly(0, 2);
      assertThat(a.size()).isZero();
      assertThat(var(f, "g").read().shape()).containsExactly(0);
      assertThat(longs(f, "fixed")).containsExactly(3L, 4L);
    }
  }

  @ParameterizedTest
  @CsvSource({"classic", "cdf5"})
  void unsignedAttributeTurnsSignedTypesUnsignedAndIsKept(String kind) {
    Path p = Ncgen.generate(dir, "types", kind, CLASSIC_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      Variable ub = var(f, "vub");
      assertThat(ub.dataType()).isEqualTo(DataType.UBYTE);
      assertThat(longs(f, "vub")).containsExactly(255L, 0L, 128L);
      assertThat(ub.attribute("_Unsigned")).contains(Attribute.text("_Unsigned", "true"));
      // Attributes stay as stored; Cf compares fill values bit for bit.
      assertThat(ub.attribute("_FillValue").orElseThrow().values()).containsExactly((byte) -1);
      assertThat(Cf.missing(ub.read(), ub.attributes())).containsExactly(true, false, false);
      assertThat(var(f, "vus").dataType()).isEqualTo(DataType.USHORT);
      assertThat(longs(f, "vus")).containsExactly(65535L, 1L, 32768L);
      assertThat(var(f, "vui").dataType()).isEqualTo(DataType.UINT);
      assertThat(longs(f, "vui")).containsExactly(4294967295L, 7L, 2147483648L);
    }
  }

  @Test
  void charArraysKeepTheirStringLengthDimension() {
    Path p = Ncgen.generate(dir, "types", "classic", CLASSIC_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      NdArray vc = var(f, "vc").read();
      assertThat(vc.type()).isEqualTo(DataType.CHAR);
      assertThat(vc.shape()).containsExactly(3, 5);
      assertThat(new String(vc.toByteArray(), java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("ab\0\0\0cdefg\0\0\0\0\0");
      assertThat(strings(vc)).containsExactly("ab", "cdefg", "");
    }
  }

  /**
   * 1.2 MB of floats: strided reads cross the reader's 1 MiB coalescing window, rows of 12 KB leave
   * gaps too wide to coalesce, and whole rows are read directly.
   */
  @Test
  void hyperslabsOfLargeVariablesMatchTheFullRead() {
    Path p =
        Ncgen.generate(
            dir,
            "big",
            "64-bit offset",
            "netcdf big { dimensions: y = 300; x = 1000; wy = 40; wx = 3000;"
                + " variables: float a(y, x); int w(wy, wx);"
                + " data: a = "
                + numbers(300 * 1000)
                + "; w = "
                + numbers(40 * 3000)
                + "; }");
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      NdArray fullA = var(f, "a").read();
      for (int i = 0; i < 300 * 1000; i += 997) {
        assertThat(fullA.getDouble(i)).isEqualTo(i % 100_003);
      }
      int[][] boxes = {
        {0, 0, 300, 1}, // one column: 300 runs of 4 bytes spread over 1.2 MB
        {0, 999, 300, 1},
        {5, 17, 290, 3},
        {0, 0, 100, 1000}, // whole rows: one direct run
        {150, 0, 150, 1000},
        {1, 1, 298, 998},
        {299, 999, 1, 1},
        {10, 10, 0, 5},
      };
      assertBoxesMatch(var(f, "a"), fullA, boxes);
      NdArray fullW = var(f, "w").read();
      assertThat(fullW.getLong(40 * 3000 - 1)).isEqualTo((40 * 3000 - 1) % 100_003);
      assertBoxesMatch(
          var(f, "w"), fullW, new int[][] {{0, 0, 40, 1}, {3, 100, 30, 700}, {0, 2999, 40, 1}});
    }
  }

  private static void assertBoxesMatch(Variable v, NdArray full, int[][] boxes) {
    for (int[] b : boxes) {
      int[] origin = {b[0], b[1]};
      int[] count = {b[2], b[3]};
      NdArray part = v.read(new long[] {b[0], b[1]}, count);
      assertThat(part.contentEquals(full.section(origin, count)))
          .as("%s box %s", v.name(), java.util.Arrays.toString(b))
          .isTrue();
    }
  }

  private static String numbers(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> Integer.toString(i % 100_003))
        .collect(Collectors.joining(","));
  }

  @Test
  void concurrentReadsOfOneFileAgreeWithSequentialReads() throws Exception {
    Path p = Ncgen.generate(dir, "types", "classic", CLASSIC_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      List<NdArray> expected = new ArrayList<>();
      for (Variable v : f.variables()) {
        expected.add(v.read());
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
          int i = t % expected.size();
          results.add(
              pool.submit(() -> f.variables().get(i).read().contentEquals(expected.get(i))));
        }
        for (Future<Boolean> r : results) {
          assertThat(r.get()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void boxesOutsideTheShapeAreRejected() {
    Path p = Ncgen.generate(dir, "types", "classic", CLASSIC_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      Variable rs = var(f, "rs");
      assertThatThrownBy(() -> rs.read(new long[] {0, 0}, new int[] {5, 3}))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("rs");
      assertThatThrownBy(() -> rs.read(new long[] {-1, 0}, new int[] {1, 1}))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> rs.read(new long[] {0}, new int[] {1}))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("rank");
    }
  }

  @Test
  void readingAfterCloseFails() {
    Path p = Ncgen.generate(dir, "types", "classic", CLASSIC_TYPES);
    NetcdfFile f = NetcdfFiles.open(p);
    Variable v = var(f, "vi");
    f.close();
    f.close(); // idempotent
    assertThatThrownBy(v::read)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theProviderIsFoundThroughTheServiceLoader() {
    Path p = Ncgen.generate(dir, "types", "classic", CLASSIC_TYPES);
    try (NetcdfFile f = NetcdfFiles.open(p)) {
      assertThat(f.getClass().getPackageName()).isEqualTo("io.zarrsync.netcdf.nc3");
      assertThat(f.path()).isEqualTo(p);
    }
  }

  // ---------------------------------------------------------------- helpers

  static Variable var(NetcdfFile f, String name) {
    return f.findVariable(name).orElseThrow(() -> new AssertionError("no variable " + name));
  }

  static Attribute attr(NetcdfFile f, String var, String name) {
    return var(f, var)
        .attribute(name)
        .orElseThrow(() -> new AssertionError("no attribute " + name));
  }

  static Attribute attribute(DataType type, Object... values) {
    return new Attribute("att_byte", type, List.of(values));
  }

  static List<Long> longs(NetcdfFile f, String var) {
    return longs(var(f, var).read());
  }

  static List<Long> longs(NdArray a) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getLong(i));
    }
    return out;
  }

  static List<Double> doubles(NdArray a) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getDouble(i));
    }
    return out;
  }

  static List<String> strings(NdArray chars) {
    NdArray s = Cf.charsToStrings(chars);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      out.add(s.getString(i));
    }
    return out;
  }
}
