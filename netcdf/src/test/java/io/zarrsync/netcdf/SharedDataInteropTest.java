package io.zarrsync.netcdf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.testing.TestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code *.nc} file of the shared data set, opened with {@link NetcdfFiles#open}, must show
 * what Python netCDF4 (auto mask/scale and char-to-string off) shows: format, dimensions, every
 * attribute with its type and exact values, every variable's type, dimensions, shape and raw
 * values. One Python process dumps all files (values as sha256 of their little-endian bytes); each
 * file is its own test and lists every mismatch it finds.
 */
class SharedDataInteropTest {
  /** Largest slab read at once when digesting a variable. */
  private static final long SLAB_BYTES = 256L << 20;

  private static StreamingPythonDump python;

  @TestFactory
  Stream<DynamicTest> everySharedFileMatchesNetcdf4Python() {
    Path data = TestEnvironment.sharedData();
    // -Dzarrsync.interop.only=REGEX narrows the run to matching paths while debugging a reader.
    Pattern only = Pattern.compile(System.getProperty("zarrsync.interop.only", ".*"));
    List<Path> files =
        TestEnvironment.sharedNetcdfFiles().stream()
            .filter(f -> only.matcher(data.relativize(f).toString()).find())
            .toList();
    assertThat(files).as("NetCDF files under " + data).isNotEmpty();
    List<String> rels = files.stream().map(f -> data.relativize(f).toString()).toList();
    // Python reads the files while Java compares the ones already dumped.
    python = StreamingPythonDump.start(data, rels, Duration.ofMinutes(15));
    return files.stream()
        .map(
            f -> {
              String rel = data.relativize(f).toString();
              return DynamicTest.dynamicTest(
                  "[" + signature(f) + "] " + rel, () -> compare(f, rel, python.await(rel)));
            });
  }

  @AfterAll
  static void stopPython() {
    if (python != null) {
      python.close();
    }
  }

  /** The container as the magic bytes say, for the test name (independent of both readers). */
  private static String signature(Path f) {
    byte[] m = new byte[4];
    try (InputStream in = Files.newInputStream(f)) {
      if (in.readNBytes(m, 0, 4) == 4 && m[0] == 'C' && m[1] == 'D' && m[2] == 'F') {
        return "CDF-" + m[3];
      }
    } catch (IOException e) {
      return "unreadable";
    }
    return m[1] == 'H' && m[2] == 'D' && m[3] == 'F' ? "HDF5" : "unknown";
  }

  private static void compare(Path file, String rel, JsonNode expected) {
    assertThat(expected).as("netCDF4-python dumped nothing for " + rel).isNotNull();
    assertThat(expected.has("error"))
        .as("netCDF4-python could not read %s: %s", rel, expected.path("error").asText())
        .isFalse();
    List<String> problems = new ArrayList<>();
    try (NetcdfFile nc = NetcdfFiles.open(file)) {
      String format = expected.get("format").asText();
      if (!nc.format().name().equals(formatName(format))) {
        problems.add("format: java " + nc.format() + ", python " + format);
      }
      compareDimensions(nc, expected.get("dims"), problems);
      compareAttributes("global", nc.globalAttributes(), expected.get("attrs"), problems);
      compareVariables(nc, expected.get("vars"), problems);
    }
    assertThat(problems).as(rel + " differs from netCDF4-python").isEmpty();
  }

  private static String formatName(String dataModel) {
    return switch (dataModel) {
      case "NETCDF3_CLASSIC" -> "CLASSIC";
      case "NETCDF3_64BIT_OFFSET" -> "OFFSET_64BIT";
      case "NETCDF3_64BIT_DATA" -> "DATA_64BIT";
      default -> dataModel;
    };
  }

  private static void compareDimensions(NetcdfFile nc, JsonNode dims, List<String> problems) {
    List<String> expected = new ArrayList<>();
    for (JsonNode d : dims) {
      expected.add(
          d.get("name").asText()
              + "="
              + d.get("length").asLong()
              + (d.get("unlimited").asBoolean() ? " (unlimited)" : ""));
    }
    List<String> actual = new ArrayList<>();
    for (Dimension d : nc.dimensions()) {
      actual.add(d.name() + "=" + d.length() + (d.unlimited() ? " (unlimited)" : ""));
    }
    if (!actual.equals(expected)) {
      problems.add("dimensions: java " + actual + ", python " + expected);
    }
  }

  private static void compareAttributes(
      String owner, List<Attribute> actual, JsonNode expected, List<String> problems) {
    Map<String, Attribute> byName = new LinkedHashMap<>();
    actual.forEach(a -> byName.put(a.name(), a));
    List<String> expectedNames = new ArrayList<>();
    for (JsonNode e : expected) {
      String name = e.get("name").asText();
      expectedNames.add(name);
      Attribute a = byName.get(name);
      if (a == null) {
        problems.add(owner + " attribute " + name + ": missing in java");
        continue;
      }
      String type = e.get("type").asText();
      if (!a.type().name().equals(type)) {
        problems.add(owner + " attribute " + name + ": type java " + a.type() + ", python " + type);
        continue;
      }
      List<String> values = new ArrayList<>();
      e.get("values").forEach(v -> values.add(v.asText()));
      List<String> javaValues = encode(a);
      if (!javaValues.equals(values)) {
        problems.add(
            owner + " attribute " + name + ": values java " + javaValues + ", python " + values);
      }
    }
    List<String> actualNames = actual.stream().map(Attribute::name).toList();
    for (String n : actualNames) {
      if (!expectedNames.contains(n)) {
        problems.add(owner + " attribute " + n + ": not shown by python");
      }
    }
    if (problems.isEmpty() && !actualNames.equals(expectedNames)) {
      problems.add(owner + " attributes order: java " + actualNames + ", python " + expectedNames);
    }
  }

  /** Attribute values in the dump's form: decimal integers, hex float bits, text as is. */
  private static List<String> encode(Attribute a) {
    List<String> out = new ArrayList<>();
    for (Object v : a.values()) {
      out.add(
          switch (a.type()) {
            case FLOAT -> String.format("%08x", Float.floatToRawIntBits((Float) v));
            case DOUBLE -> String.format("%016x", Double.doubleToRawLongBits((Double) v));
            case CHAR, STRING -> (String) v;
            default -> new BigInteger(v.toString()).toString();
          });
    }
    return out;
  }

  private static void compareVariables(NetcdfFile nc, JsonNode vars, List<String> problems) {
    List<String> expectedNames = new ArrayList<>();
    for (JsonNode e : vars) {
      String name = e.get("name").asText();
      expectedNames.add(name);
      Variable v = nc.findVariable(name).orElse(null);
      if (v == null) {
        problems.add("variable " + name + ": missing in java");
        continue;
      }
      String owner = "variable " + name;
      String type = expectedType(e);
      if (!v.dataType().name().equals(type)) {
        problems.add(owner + ": type java " + v.dataType() + ", python " + type);
      }
      List<String> dims = new ArrayList<>();
      e.get("dims").forEach(d -> dims.add(d.asText()));
      List<String> javaDims = v.dimensions().stream().map(Dimension::name).toList();
      if (!javaDims.equals(dims)) {
        problems.add(owner + ": dimensions java " + javaDims + ", python " + dims);
      }
      List<Long> shape = new ArrayList<>();
      e.get("shape").forEach(d -> shape.add(d.asLong()));
      List<Long> javaShape = java.util.Arrays.stream(v.shape()).boxed().toList();
      if (!javaShape.equals(shape)) {
        problems.add(owner + ": shape java " + javaShape + ", python " + shape);
        continue;
      }
      compareAttributes(owner, v.attributes(), e.get("attrs"), problems);
      String digest;
      try {
        digest = digest(v);
      } catch (RuntimeException ex) {
        problems.add(owner + ": read failed: " + ex);
        continue;
      }
      if (!digest.equals(e.get("sha256").asText())) {
        problems.add(owner + ": values differ (sha256 of the raw little-endian bytes)");
      }
    }
    for (Variable v : nc.variables()) {
      if (!expectedNames.contains(v.name())) {
        problems.add("variable " + v.name() + ": not shown by python");
      }
    }
  }

  /** Python reports the stored type; the model applies {@code _Unsigned = "true"}. */
  private static String expectedType(JsonNode var) {
    String type = var.get("type").asText();
    for (JsonNode a : var.get("attrs")) {
      if (a.get("name").asText().equals("_Unsigned")
          && a.get("values").size() == 1
          && a.get("values").get(0).asText().equalsIgnoreCase("true")
          && List.of("BYTE", "SHORT", "INT", "LONG").contains(type)) {
        return DataType.valueOf(type).toUnsigned().name();
      }
    }
    return type;
  }

  /** sha256 of the variable in C order, read in slabs of at most {@link #SLAB_BYTES}. */
  static String digest(Variable v) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long[] shape = v.shape();
    int rank = shape.length;
    long elementSize = v.dataType() == DataType.STRING ? 64 : v.dataType().size();
    // Dimensions j.. are read whole; dimension j-1 in steps; dimensions before it one at a time.
    int j = rank;
    long inner = elementSize;
    while (j > 0 && inner * shape[j - 1] <= SLAB_BYTES) {
      inner *= shape[j - 1];
      j--;
    }
    if (j == 0) {
      feed(sha, v.read());
      return HexFormat.of().formatHex(sha.digest());
    }
    long step = Math.max(1, SLAB_BYTES / inner);
    long[] origin = new long[rank];
    int[] count = new int[rank];
    for (int d = 0; d < rank; d++) {
      count[d] = d < j - 1 ? 1 : Math.toIntExact(shape[d]);
    }
    for (long s : shape) {
      if (s == 0) {
        return HexFormat.of().formatHex(sha.digest());
      }
    }
    while (true) {
      for (long i = 0; i < shape[j - 1]; i += step) {
        origin[j - 1] = i;
        count[j - 1] = (int) Math.min(step, shape[j - 1] - i);
        feed(sha, v.read(origin, count));
      }
      int d = j - 2;
      while (d >= 0 && ++origin[d] == shape[d]) {
        origin[d] = 0;
        d--;
      }
      if (d < 0) {
        return HexFormat.of().formatHex(sha.digest());
      }
    }
  }

  private static void feed(MessageDigest sha, NdArray a) {
    if (a.type() == DataType.STRING) {
      for (int i = 0; i < a.size(); i++) {
        sha.update(a.getString(i).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
    } else {
      sha.update(a.buffer());
    }
  }
}
