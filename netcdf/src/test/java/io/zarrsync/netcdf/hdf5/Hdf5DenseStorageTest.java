package io.zarrsync.netcdf.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects with more than 8 attributes or links keep them in "dense" storage (a fractal heap and a
 * B-tree by name hash). jhdf 0.13.0 fails on those heaps once they grow past a few blocks, and
 * loses the creation order that netCDF-C reports.
 */
class Hdf5DenseStorageTest {
  static final int GLOBALS = 60;
  static final int VARIABLES = 40;

  /** Names in creation order that are neither sorted nor hash-ordered. */
  static List<String> names(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + (char) ('z' - i % 26) + (i * 7919 % 1000));
    }
    return out;
  }

  static String longText() {
    return "x".repeat(6000) + "end";
  }

  static String manyAttributesCdl() {
    StringBuilder b = new StringBuilder("netcdf many {\ndimensions:\n  n = 2 ;\nvariables:\n");
    for (String v : names("v", VARIABLES)) {
      b.append("  int ").append(v).append("(n) ;\n");
    }
    for (String a : names("a", 30)) {
      b.append("    ")
          .append(names("v", 1).get(0))
          .append(':')
          .append(a)
          .append(" = ")
          .append(a.length())
          .append(" ;\n");
    }
    b.append("\n// global attributes:\n");
    List<String> globals = names("g", GLOBALS);
    for (int i = 0; i < globals.size(); i++) {
      String value = i == 17 ? longText() : "value of " + globals.get(i) + " " + "#".repeat(i * 40);
      b.append("  :").append(globals.get(i)).append(" = \"").append(value).append("\" ;\n");
    }
    b.append("}\n");
    return b.toString();
  }

  @Test
  void denseAttributesAndLinksReadInCreationOrder(@TempDir Path dir) {
    Path file = Fixtures.ncgen(dir, "many", "nc4", manyAttributesCdl());
    try (NetcdfFile f = NetcdfFiles.open(file)) {
      assertThat(f.globalAttributes()).extracting(Attribute::name).isEqualTo(names("g", GLOBALS));
      assertThat(f.globalAttribute(names("g", GLOBALS).get(17)).map(Attribute::stringValue))
          .contains(longText());
      assertThat(f.globalAttribute(names("g", GLOBALS).get(59)).map(Attribute::stringValue))
          .contains("value of " + names("g", GLOBALS).get(59) + " " + "#".repeat(59 * 40));
      assertThat(f.variables()).extracting(Variable::name).isEqualTo(names("v", VARIABLES));
      Variable first = f.variables().get(0);
      assertThat(first.attributes()).extracting(Attribute::name).isEqualTo(names("a", 30));
      assertThat(first.attributes().get(3).numericValue().intValue())
          .isEqualTo(names("a", 30).get(3).length());
    }
  }
}
