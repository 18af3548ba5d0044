package io.zarrsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs check_grid.py: xarray.open_zarr of a grid store equals the given files slot by slot. */
final class GridCheck {
  private final Map<String, Object> spec = new LinkedHashMap<>();
  private final Map<String, String> slots = new LinkedHashMap<>();
  private final Map<String, List<String>> missing = new LinkedHashMap<>();

  GridCheck(long length, List<String> vars, String origin, double stepHours) {
    spec.put("length", length);
    spec.put("vars", vars);
    spec.put("origin", origin);
    spec.put("step_hours", stepHours);
    spec.put("slots", slots);
    spec.put("missing", missing);
  }

  static GridCheck synthetic(long length) {
    return new GridCheck(
        length,
        List.of("sea_surface_temperature", "sses_bias", "sses_count", "quality_level", "sst_dtime"),
        "2022-01-01T03:20:00Z",
        24);
  }

  GridCheck slot(long i, Path file) {
    slots.put(Long.toString(i), file.toString());
    return this;
  }

  /** Checks only these slots (default: every slot). */
  GridCheck only(long... slotsToCheck) {
    spec.put("only", java.util.Arrays.stream(slotsToCheck).boxed().toList());
    return this;
  }

  /** Variables stored unpacked as float32: compared within 1e-6 relative. */
  GridCheck unpacked(String... vars) {
    spec.put("unpacked", List.of(vars));
    return this;
  }

  GridCheck missing(long i, String... vars) {
    missing.put(Long.toString(i), List.of(vars));
    return this;
  }

  void run(Path store) {
    try {
      Path dir = Files.createTempDirectory("zarrsync-check");
      Path specFile = dir.resolve("spec.json");
      new ObjectMapper().writeValue(specFile.toFile(), spec);
      String script;
      try (InputStream in = GridCheck.class.getResourceAsStream("/check_grid.py")) {
        script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      String out = Fixtures.runPython(script, store.toString(), specFile.toString());
      assertThat(out).contains("OK");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
