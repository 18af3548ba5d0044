package io.zarrsync.core.config;

import io.zarrsync.api.DataType;
import java.util.Objects;

/**
 * A variable the collection stores, with optional overrides.
 *
 * @param name the NetCDF variable name (also the Zarr array name)
 * @param dtype the stored type if it differs from the file's (values are converted), else null
 * @param fill the Zarr fill value if it differs from the file's {@code _FillValue}, else null
 */
public record VariableConfig(String name, DataType dtype, Object fill) {
  public VariableConfig {
    Objects.requireNonNull(name, "name");
  }

  /** A variable stored as the file has it. */
  public static VariableConfig of(String name) {
    return new VariableConfig(name, null, null);
  }
}
