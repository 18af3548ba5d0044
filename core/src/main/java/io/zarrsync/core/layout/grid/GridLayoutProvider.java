package io.zarrsync.core.layout.grid;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.config.ConfigSection;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.LayoutProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code grid} layout: one record per time step on a regular axis (daily SST grids and the
 * like). Keys: {@code axis: {dim, variable, step, origin}} and optional {@code rank: [global
 * attribute names]}.
 */
public final class GridLayoutProvider implements LayoutProvider {
  @Override
  public String name() {
    return "grid";
  }

  @Override
  public Layout create(CollectionConfig config, ConfigSection section) {
    ConfigSection axis =
        section
            .section("axis")
            .orElseThrow(
                () ->
                    section.error(
                        "axis",
                        "is required by layout grid, e.g. {dim: time, step: P1D, origin:"
                            + " 1981-01-01T00:00:00Z}"));
    String dim = axis.string("dim").orElse("time");
    String variable = axis.string("variable").orElse(dim);
    Duration step =
        axis.duration("step")
            .orElseThrow(() -> axis.error("step", "is required, e.g. P1D or PT1H"));
    Instant origin =
        axis.instant("origin")
            .orElseThrow(
                () -> axis.error("origin", "is required, e.g. 1981-01-01T00:00:00Z (slot 0)"));
    if (config.variable(variable).isPresent()) {
      throw section.error(
          "variables",
          "lists the axis variable '"
              + variable
              + "'; the grid layout writes it from the axis (origin + i * step), remove it");
    }
    long coordinateChunk = axis.positiveLong("coordinate-chunk").orElse(1024L);
    if (coordinateChunk > 1 << 24) {
      throw axis.error("coordinate-chunk", coordinateChunk + " is too large (at most 16777216)");
    }
    List<String> rank = section.stringList("rank").orElse(List.of());
    return new GridLayout(
        config, new GridAxis(dim, variable, step, origin, (int) coordinateChunk), rank);
  }
}
