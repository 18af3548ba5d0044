package io.zarrsync.core.argo;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.write.Nc3Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Small Argo-like core profile files written with {@link Nc3Writer}: the identity and rank fields
 * of real files (PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION, DATA_MODE, DATE_UPDATE), DC_REFERENCE,
 * JULD and per-level PRES/TEMP with their QC, with blank fields, several profiles, missing
 * variables and wrong types on request. Values are a function of the profile's fields and its
 * {@code version}, so a test can tell which file a store row came from.
 */
public final class ArgoFixture {
  /** One profile of a fixture file. */
  public static final class Prof {
    String platform = "5900001";
    Integer cycle = 1;
    char direction = 'A';
    char mode = 'R';
    String dcReference = "DC1";
    int levels = 5;
    double version = 0;

    public Prof platform(String p) {
      platform = p;
      return this;
    }

    /** A null cycle writes CYCLE_NUMBER's fill value (99999). */
    public Prof cycle(Integer c) {
      cycle = c;
      return this;
    }

    public Prof direction(char d) {
      direction = d;
      return this;
    }

    public Prof mode(char m) {
      mode = m;
      return this;
    }

    public Prof dcReference(String d) {
      dcReference = d;
      return this;
    }

    public Prof levels(int n) {
      levels = n;
      return this;
    }

    /** Shifts every data value, so versions of one profile differ. */
    public Prof version(double v) {
      version = v;
      return this;
    }

    /** PRES at level {@code i}. */
    public float pres(int i) {
      return (float) (5 + 10 * i + version);
    }

    /** TEMP at level {@code i}. */
    public float temp(int i) {
      return (float) (20 - 0.5 * i + (cycle == null ? 0 : cycle) + version);
    }

    /** JULD (days since 1950). */
    public double juld() {
      return 25000.25 + (cycle == null ? 0 : cycle) * 10 + version / 1000;
    }
  }

  private final List<Prof> profiles = new ArrayList<>();
  private String dateUpdate = "20200101000000";
  private final Set<String> omitted = new HashSet<>();
  private final Map<String, DataType> types = new LinkedHashMap<>();
  private int platformLength = 8;
  private boolean history;
  private String levelsDim = "N_LEVELS";

  public static ArgoFixture file() {
    return new ArgoFixture();
  }

  /** A one-profile file. */
  public static ArgoFixture of(Prof p) {
    return new ArgoFixture().profile(p);
  }

  public static Prof prof() {
    return new Prof();
  }

  public ArgoFixture profile(Prof p) {
    profiles.add(p);
    return this;
  }

  public ArgoFixture dateUpdate(String d) {
    dateUpdate = d;
    return this;
  }

  /** Leaves a variable out of the file. */
  public ArgoFixture omit(String variable) {
    omitted.add(variable);
    return this;
  }

  /** Writes TEMP with another type (FLOAT by default; DOUBLE or INT to provoke errors). */
  public ArgoFixture tempType(DataType t) {
    types.put("TEMP", t);
    return this;
  }

  /** The STRINGn length of PLATFORM_NUMBER (8 in real files). */
  public ArgoFixture platformLength(int n) {
    platformLength = n;
    return this;
  }

  /** Adds HISTORY_STEP(N_HISTORY, N_PROF, STRING4) as real core files have. */
  public ArgoFixture withHistory() {
    history = true;
    return this;
  }

  /** Renames the levels dimension (to provoke a dims mismatch). */
  public ArgoFixture levelsDim(String name) {
    levelsDim = name;
    return this;
  }

  public List<Prof> profiles() {
    return profiles;
  }

  /** Writes the file (creating parent directories) and returns its path. */
  public Path write(Path path) {
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int n = profiles.size();
    int levels = profiles.stream().mapToInt(p -> p.levels).max().orElse(0);
    Nc3Writer w = new Nc3Writer();
    w.dimension("DATE_TIME", 14)
        .dimension("STRING" + platformLength, platformLength)
        .dimension("STRING32x", 32)
        .dimension("N_PROF", n)
        .dimension(levelsDim, levels);
    if (history) {
      w.dimension("STRING4", 4).unlimitedDimension("N_HISTORY");
    }
    w.globalAttribute("title", "Argo float vertical profile");
    add(w, "DATE_UPDATE", text(dateUpdate, 14), List.of("DATE_TIME"), blankFill());
    add(
        w,
        "PLATFORM_NUMBER",
        chars(profiles.stream().map(p -> p.platform).toList(), platformLength),
        List.of("N_PROF", "STRING" + platformLength),
        blankFill());
    NdArray cycles = NdArray.allocate(DataType.INT, n);
    for (int i = 0; i < n; i++) {
      cycles.setLong(i, profiles.get(i).cycle == null ? 99999 : profiles.get(i).cycle);
    }
    add(w, "CYCLE_NUMBER", cycles, List.of("N_PROF"), Map.of("_FillValue", 99999));
    add(
        w,
        "DIRECTION",
        single(profiles.stream().map(p -> p.direction).toList()),
        List.of("N_PROF"),
        blankFill());
    add(
        w,
        "DATA_MODE",
        single(profiles.stream().map(p -> p.mode).toList()),
        List.of("N_PROF"),
        blankFill());
    add(
        w,
        "DC_REFERENCE",
        chars(profiles.stream().map(p -> p.dcReference).toList(), 32),
        List.of("N_PROF", "STRING32x"),
        blankFill());
    NdArray juld = NdArray.allocate(DataType.DOUBLE, n);
    for (int i = 0; i < n; i++) {
      juld.setDouble(i, profiles.get(i).juld());
    }
    Map<String, Object> juldAttrs = new LinkedHashMap<>();
    juldAttrs.put("standard_name", "time");
    juldAttrs.put("units", "days since 1950-01-01 00:00:00 UTC");
    juldAttrs.put("_FillValue", 999999.0);
    add(w, "JULD", juld, List.of("N_PROF"), juldAttrs);
    NdArray pres = NdArray.allocate(DataType.FLOAT, n, levels);
    NdArray presQc = NdArray.allocate(DataType.CHAR, n, levels);
    DataType tempType = types.getOrDefault("TEMP", DataType.FLOAT);
    NdArray temp = NdArray.allocate(tempType, n, levels);
    for (int i = 0; i < n; i++) {
      Prof p = profiles.get(i);
      for (int l = 0; l < levels; l++) {
        int at = i * levels + l;
        boolean in = l < p.levels;
        pres.setDouble(at, in ? p.pres(l) : 99999f);
        presQc.setLong(at, in ? (l == 1 ? '4' : '1') : ' ');
        temp.setDouble(at, in ? p.temp(l) : 99999f);
      }
    }
    Map<String, Object> presAttrs = new LinkedHashMap<>();
    presAttrs.put("units", "decibar");
    presAttrs.put("_FillValue", 99999f);
    add(w, "PRES", pres, List.of("N_PROF", levelsDim), presAttrs);
    add(w, "PRES_QC", presQc, List.of("N_PROF", levelsDim), blankFill());
    Object tempFill =
        switch (tempType) {
          case DOUBLE -> 99999.0;
          case INT -> 99999;
          default -> 99999f;
        };
    add(w, "TEMP", temp, List.of("N_PROF", levelsDim), Map.of("_FillValue", tempFill));
    if (history) {
      add(
          w,
          "HISTORY_STEP",
          NdArray.allocate(DataType.CHAR, 1, n, 4),
          List.of("N_HISTORY", "N_PROF", "STRING4"),
          blankFill());
    }
    w.write(path);
    return path;
  }

  private void add(
      Nc3Writer w, String name, NdArray data, List<String> dims, Map<String, Object> attrs) {
    if (!omitted.contains(name)) {
      w.variable(name, data.type(), dims, attrs, data);
    }
  }

  private static Map<String, Object> blankFill() {
    return Map.of("_FillValue", " ");
  }

  /** One string as a CHAR array [length], space-padded. */
  private static NdArray text(String value, int length) {
    NdArray two = chars(List.of(value), length);
    return NdArray.wrap(DataType.CHAR, new int[] {length}, two.buffer());
  }

  /** Strings as a CHAR array [count, length], space-padded as Argo pads them. */
  public static NdArray chars(List<String> values, int length) {
    NdArray out = NdArray.allocate(DataType.CHAR, values.size(), length);
    for (int i = 0; i < values.size(); i++) {
      byte[] b = values.get(i).getBytes(StandardCharsets.US_ASCII);
      for (int k = 0; k < length; k++) {
        out.setLong(i * length + k, k < b.length ? b[k] : ' ');
      }
    }
    return out;
  }

  private static NdArray single(List<Character> values) {
    NdArray out = NdArray.allocate(DataType.CHAR, values.size());
    for (int i = 0; i < values.size(); i++) {
      out.setLong(i, values.get(i));
    }
    return out;
  }
}
