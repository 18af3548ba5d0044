package io.zarrsync.netcdf.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.NetcdfFormat;
import io.zarrsync.netcdf.Variable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hdf5ReaderTest {
  @TempDir static Path dir;
  static NetcdfFile types;
  static NetcdfFile records;

  @BeforeAll
  static void open() {
    types = NetcdfFiles.open(Fixtures.ncgen(dir, "types", "nc4", Fixtures.TYPES_CDL));
    records = NetcdfFiles.open(Fixtures.ncgen(dir, "records", "nc4", Fixtures.RECORDS_CDL));
  }

  @AfterAll
  static void close() {
    if (types != null) {
      types.close();
    }
    if (records != null) {
      records.close();
    }
  }

  static Variable var(NetcdfFile f, String name) {
    return f.findVariable(name).orElseThrow(() -> new AssertionError("no variable " + name));
  }

  static long[] longs(NdArray a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.getLong(i);
    }
    return out;
  }

  @Test
  void dimensionsComeFromScalesInNetcdfOrder() {
    assertThat(types.format()).isEqualTo(NetcdfFormat.NETCDF4);
    assertThat(types.dimensions())
        .containsExactly(
            new Dimension("time", 2, true),
            new Dimension("lat", 3, false),
            new Dimension("lon", 4, false),
            new Dimension("nodim", 2, false),
            new Dimension("strlen", 5, false),
            new Dimension("sub/n", 2, false));
    assertThat(types.unlimitedDimension()).contains(new Dimension("time", 2, true));
  }

  @Test
  void variablesInCreationOrderWithoutDimensionOnlyScales() {
    assertThat(types.variables().stream().map(Variable::name))
        .containsExactly(
            "time", "lat", "lon", "sst", "b", "ub", "us", "ui", "i64", "u64", "i", "big", "name",
            "s", "scalar", "flagged", "nodata", "sub/v", "sub/w");
    assertThat(var(types, "sst").dimensions().stream().map(Dimension::name))
        .containsExactly("time", "lat", "lon");
    assertThat(var(types, "sub/v").dimensions()).containsExactly(new Dimension("sub/n", 2, false));
    assertThat(var(types, "sub/w").dimensions()).containsExactly(new Dimension("lat", 3, false));
    assertThat(var(types, "sub/v").attribute("note").map(Attribute::stringValue))
        .contains("in a group");
  }

  @Test
  void integerTypesKeepTheirWidthAndSign() {
    assertThat(var(types, "b").dataType()).isEqualTo(DataType.BYTE);
    assertThat(longs(var(types, "b").read())).containsExactly(-1, 2);
    assertThat(var(types, "ub").dataType()).isEqualTo(DataType.UBYTE);
    assertThat(longs(var(types, "ub").read())).containsExactly(255, 200);
    assertThat(var(types, "us").dataType()).isEqualTo(DataType.USHORT);
    assertThat(longs(var(types, "us").read())).containsExactly(65535, 1);
    assertThat(var(types, "ui").dataType()).isEqualTo(DataType.UINT);
    assertThat(longs(var(types, "ui").read())).containsExactly(4294967295L, 2);
    assertThat(var(types, "i64").dataType()).isEqualTo(DataType.LONG);
    assertThat(longs(var(types, "i64").read())).containsExactly(-9223372036854775807L, 3);
    assertThat(var(types, "u64").dataType()).isEqualTo(DataType.ULONG);
    assertThat(longs(var(types, "u64").read())).containsExactly(-1L, 4);
    assertThat(longs(var(types, "i").read())).containsExactly(-5, 5);
  }

  @Test
  void floatsAndBigEndianDataComeBackLittleEndian() {
    NdArray big = var(types, "big").read();
    assertThat(big.type()).isEqualTo(DataType.DOUBLE);
    assertThat(big.getDouble(0)).isEqualTo(1.5);
    assertThat(big.getDouble(1)).isEqualTo(-2.5e300);
    NdArray lat = var(types, "lat").read();
    assertThat(lat.getDouble(2)).isEqualTo(30.0);
  }

  @Test
  void charVariableKeepsItsStringLengthDimension() {
    Variable name = var(types, "name");
    assertThat(name.dataType()).isEqualTo(DataType.CHAR);
    assertThat(name.shape()).containsExactly(2, 5);
    NdArray a = name.read();
    assertThat(new String(a.toByteArray(), StandardCharsets.US_ASCII))
        .isEqualTo("hellohi   "); // ncgen pads with the _FillValue
    assertThat(name.attribute("_FillValue")).contains(Attribute.text("_FillValue", " "));
    NdArray row = name.read(new long[] {1, 0}, new int[] {1, 2});
    assertThat(new String(row.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo("hi");
  }

  @Test
  void stringVariableReadsJavaStrings() {
    Variable s = var(types, "s");
    assertThat(s.dataType()).isEqualTo(DataType.STRING);
    NdArray a = s.read();
    assertThat(a.getString(0)).isEqualTo("alpha");
    assertThat(a.getString(1)).isEmpty();
    assertThat(s.read(new long[] {1}, new int[] {1}).getString(0)).isEmpty();
  }

  @Test
  void scalarVariableHasRankZero() {
    Variable scalar = var(types, "scalar");
    assertThat(scalar.shape()).isEmpty();
    assertThat(scalar.dimensions()).isEmpty();
    NdArray a = scalar.read();
    assertThat(a.rank()).isZero();
    assertThat(a.getLong(0)).isEqualTo(42);
    assertThat(scalar.storageChunks()).isEmpty();
  }

  @Test
  void attributesOfEveryKindInCreationOrder() {
    assertThat(var(types, "scalar").attributes())
        .containsExactly(
            Attribute.text("comment", "scalar var"),
            Attribute.text("multi", "abc"),
            new Attribute("ints", DataType.INT, List.of(1, 2, 3)),
            new Attribute("u", DataType.UINT, List.of(4000000000L)),
            new Attribute("ul", DataType.ULONG, List.of(new BigInteger("18446744073709551615"))),
            new Attribute("f", DataType.FLOAT, List.of(1.5f, -2.25f)),
            Attribute.text("empty", ""),
            new Attribute("strs", DataType.STRING, List.of("one", "two")),
            new Attribute("str1", DataType.STRING, List.of("only")));
    assertThat(types.globalAttributes())
        .containsExactly(
            Attribute.text("title", "all types"),
            new Attribute("version", DataType.INT, List.of(2)));
    assertThat(var(types, "ub").attribute("_FillValue"))
        .contains(new Attribute("_FillValue", DataType.UBYTE, List.of((short) 200)));
    assertThat(var(types, "sst").attribute("scale_factor"))
        .contains(new Attribute("scale_factor", DataType.DOUBLE, List.of(0.01)));
  }

  @Test
  void netcdfBookkeepingAttributesAreHidden() {
    List<String> hidden =
        List.of(
            "CLASS",
            "NAME",
            "DIMENSION_LIST",
            "REFERENCE_LIST",
            "_Netcdf4Dimid",
            "_Netcdf4Coordinates",
            "_NCProperties",
            "_nc3_strict");
    assertThat(types.globalAttributes())
        .extracting(Attribute::name)
        .doesNotContainAnyElementsOf(hidden);
    for (Variable v : types.variables()) {
      assertThat(v.attributes()).extracting(Attribute::name).doesNotContainAnyElementsOf(hidden);
    }
  }

  @Test
  void unsignedFlagMakesTheTypeUnsignedAndKeepsTheStoredFillValue() {
    Variable flagged = var(types, "flagged");
    assertThat(flagged.dataType()).isEqualTo(DataType.UBYTE);
    assertThat(longs(flagged.read())).containsExactly(255, 1);
    assertThat(flagged.attribute("_FillValue"))
        .contains(new Attribute("_FillValue", DataType.BYTE, List.of((byte) -1)));
  }

  @Test
  void chunkedDeflateShuffleVariableReadsWholeAndBySlab() {
    Variable sst = var(types, "sst");
    assertThat(sst.storageChunks()).hasValueSatisfying(c -> assertThat(c).containsExactly(1, 2, 3));
    long[] all = longs(sst.read());
    assertThat(all).hasSize(24);
    for (int i = 0; i < 23; i++) {
      assertThat(all[i]).isEqualTo(i + 1);
    }
    assertThat(all[23]).isEqualTo(-32768);
    NdArray slab = sst.read(new long[] {1, 1, 1}, new int[] {1, 2, 2});
    assertThat(slab.shape()).containsExactly(1, 2, 2);
    assertThat(longs(slab)).containsExactly(18, 19, 22, 23);
  }

  @Test
  void unwrittenVariablesReadAsTheirFillValue() {
    assertThat(var(types, "nodata").read().getDouble(1)).isEqualTo(-999.0);
    // No _FillValue attribute: netCDF's default int fill.
    assertThat(longs(var(types, "sub/w").read())).containsOnly(-2147483647L);
  }

  @Test
  void unlimitedDimensionIsAsLongAsItsLongestVariable() {
    assertThat(records.dimensions())
        .containsExactly(
            new Dimension("t", 3, true),
            new Dimension("rec", 2, true),
            new Dimension("x", 2, false),
            new Dimension("y", 3, false));
    Variable b = var(records, "b");
    assertThat(b.shape()).containsExactly(3);
    assertThat(longs(b.read())).containsExactly(5, -1, -1);
    assertThat(longs(b.read(new long[] {1}, new int[] {2}))).containsExactly(-1, -1);
    assertThat(longs(var(records, "a").read())).containsExactly(1, 2, 3);
    assertThat(longs(var(records, "r").read(new long[] {1, 1}, new int[] {1, 2})))
        .containsExactly(5, 6);
  }

  @Test
  void variableNamedLikeAnotherDimensionIsNotACoordinate() {
    // netCDF-C stores it as "_nc4_non_coord_x" next to the dimension scale "x".
    Variable x = var(records, "x");
    assertThat(x.dimensions()).containsExactly(new Dimension("y", 3, false));
    assertThat(x.read().getDouble(2)).isEqualTo(2.5);
  }

  @Test
  void contiguousCompactAndChecksummedLayoutsRead() {
    Variable grid = var(records, "grid");
    assertThat(grid.storageChunks()).isEmpty();
    assertThat(longs(grid.read(new long[] {1, 0}, new int[] {2, 2}))).containsExactly(3, 4, 5, 6);
    assertThat(longs(grid.read(new long[] {0, 1}, new int[] {3, 1}))).containsExactly(2, 4, 6);
    assertThat(longs(var(records, "small").read())).containsExactly(7, 8);
    assertThat(longs(var(records, "fl").read())).containsExactly(11, 12, 13);
  }

  @Test
  void emptyBoxesReadAsEmptyArrays() {
    NdArray none = var(types, "sst").read(new long[] {0, 0, 0}, new int[] {0, 3, 4});
    assertThat(none.size()).isZero();
    assertThat(none.shape()).containsExactly(0, 3, 4);
  }

  @Test
  void boxesOutsideTheShapeAreRejected() {
    Variable sst = var(types, "sst");
    assertThatThrownBy(() -> sst.read(new long[] {0, 0, 2}, new int[] {1, 1, 3}))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("sst");
    assertThatThrownBy(() -> sst.read(new long[] {0, 0}, new int[] {1, 1}))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> sst.read(new long[] {-1, 0, 0}, new int[] {1, 1, 1}))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void classicModelFileIsNetcdf4Classic() {
    String cdl =
        """
        netcdf classic {
        dimensions:
          x = 2 ;
        variables:
          int v(x) ;
        data:
          v = 1, 2 ;
        }
        """;
    try (NetcdfFile f = NetcdfFiles.open(Fixtures.ncgen(dir, "classic", "nc7", cdl))) {
      assertThat(f.format()).isEqualTo(NetcdfFormat.NETCDF4_CLASSIC);
      assertThat(f.globalAttributes()).isEmpty();
      assertThat(longs(f.findVariable("v").orElseThrow().read())).containsExactly(1, 2);
    }
  }

  @Test
  void readingAfterCloseFailsClearly() {
    String cdl = "netcdf c {\ndimensions:\n x = 2 ;\nvariables:\n int v(x) ;\n}\n";
    NetcdfFile f = NetcdfFiles.open(Fixtures.ncgen(dir, "closed", "nc4", cdl));
    Variable v = f.findVariable("v").orElseThrow();
    f.close();
    f.close();
    assertThatThrownBy(v::read)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
