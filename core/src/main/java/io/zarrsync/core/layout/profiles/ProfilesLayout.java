package io.zarrsync.core.layout.profiles;

import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.config.ConfigSection;
import io.zarrsync.core.config.DidYouMean;
import io.zarrsync.core.config.VariableConfig;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.DimKind;
import io.zarrsync.core.layout.DimSpec;
import io.zarrsync.core.layout.FileRecords;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.RowPolicy;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code profiles} layout: each profile of a file (one slice along the record dimension, Argo's
 * {@code N_PROF}) is one row of the store; rows are appended in arrival order and found again by
 * the profile's identity. See docs/profiles.md.
 *
 * <p>Immutable and thread-safe; everything it returns is a function of the file and its key.
 */
final class ProfilesLayout implements Layout {
  /** Chunk length of the record and growable dims when {@code chunks:} does not set one. */
  static final int DEFAULT_CHUNK = 1000;

  /** The {@code |S<n>} length of the {@code provenance.key} array. */
  static final int KEY_LENGTH = 256;

  private final CollectionConfig config;
  private final ProfilesSettings settings;

  ProfilesLayout(CollectionConfig config, ProfilesSettings settings) {
    this.config = Objects.requireNonNull(config, "config");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  ProfilesSettings settings() {
    return settings;
  }

  @Override
  public StoreSchema schema(String key, NetcdfFile first) {
    String recordDim = settings.recordDim();
    if (first.findDimension(recordDim).isEmpty()) {
      throw new InvalidSourceFileException(
          key, "has no dimension " + recordDim + " (the record-dim), so it holds no profiles");
    }
    List<ArraySpec> arrays = new ArrayList<>();
    Map<String, Long> lengths = new LinkedHashMap<>();
    for (VariableConfig vc : config.variables()) {
      Variable v =
          first
              .findVariable(vc.name())
              .orElseThrow(
                  () ->
                      new InvalidSourceFileException(
                          key,
                          vc.name()
                              + ": configured variable is missing, so this file cannot define"
                              + " the store (the array's dims and type come from the first file"
                              + " that has every configured variable)"));
      VariableShape shape = shapeOf(v);
      arrays.add(ArrayDefinition.define(config, vc, v, shape, recordDim));
      for (int i = 0; i < shape.inner().size(); i++) {
        lengths.merge(shape.inner().get(i), shape.innerLengths().get(i), Math::max);
      }
    }
    settings
        .keyArray()
        .ifPresent(
            name ->
                arrays.add(
                    new ArraySpec(
                        name,
                        List.of(recordDim),
                        DataType.CHAR,
                        KEY_LENGTH,
                        "",
                        Map.of("long_name", "source key of the file this profile was read from"),
                        ArrayRole.RECORD)));
    settings
        .positionArray()
        .ifPresent(
            name ->
                arrays.add(
                    new ArraySpec(
                        name,
                        List.of(recordDim),
                        DataType.INT,
                        0,
                        -1L,
                        Map.of(
                            "long_name",
                            "index of this profile along " + recordDim + " in its source file"),
                        ArrayRole.RECORD)));
    List<DimSpec> dims = new ArrayList<>();
    dims.add(new DimSpec(recordDim, 0, DimKind.RECORD, chunk(recordDim, DEFAULT_CHUNK), 0));
    lengths.forEach((name, length) -> dims.add(dim(key, name, length)));
    checkChunkKeys(dims);
    return new StoreSchema(recordDim, RowPolicy.APPENDED, dims, arrays, settings.attributes());
  }

  private DimSpec dim(String key, String name, long length) {
    Long max = settings.grow().get(name);
    if (max == null) {
      return new DimSpec(name, length, DimKind.FIXED, chunk(name, (int) Math.max(1, length)), 0);
    }
    if (max > 0 && length > max) {
      throw new InvalidSourceFileException(
          key, name + " is " + length + ", more than grow." + name + ".max " + max);
    }
    int defaultChunk = (int) (max > 0 ? Math.min(max, DEFAULT_CHUNK) : DEFAULT_CHUNK);
    return new DimSpec(name, length, DimKind.GROWABLE, chunk(name, defaultChunk), max);
  }

  private int chunk(String dim, int fallback) {
    return config.chunks().getOrDefault(dim, fallback);
  }

  private void checkChunkKeys(List<DimSpec> dims) {
    List<String> names = dims.stream().map(DimSpec::name).toList();
    for (String dim : config.chunks().keySet()) {
      if (!names.contains(dim)) {
        ConfigSection chunks = new ConfigSection(config.file(), "chunks", Map.of());
        throw chunks.error(
            dim,
            "no stored array has dimension "
                + dim
                + DidYouMean.suffix(dim, names)
                + " (dimensions: "
                + String.join(", ", names)
                + ")");
      }
    }
  }

  @Override
  public FileRecords read(StoreSchema schema, String key, NetcdfFile file) {
    Dimension rec =
        file.findDimension(settings.recordDim())
            .orElseThrow(
                () ->
                    new InvalidSourceFileException(
                        key, "has no dimension " + settings.recordDim() + " (the record-dim)"));
    return ProfileFile.open(this, schema, key, file, Math.toIntExact(rec.length()));
  }

  /**
   * The shape of a variable of the first file: a record dim out of place there is a config error
   * (the config asks for a variable this layout cannot store).
   */
  private VariableShape shapeOf(Variable v) {
    try {
      return VariableShape.of(v, settings.recordDim(), settings.grow().keySet());
    } catch (IllegalArgumentException e) {
      ConfigSection variables = new ConfigSection(config.file(), "variables", Map.of());
      throw variables.error(v.name(), e.getMessage() + "; remove it from variables");
    }
  }

  CollectionConfig config() {
    return config;
  }

  /** The configured override of {@code name}'s type, if any. */
  Optional<DataType> dtypeOverride(String name) {
    return config.variable(name).map(VariableConfig::dtype);
  }
}
