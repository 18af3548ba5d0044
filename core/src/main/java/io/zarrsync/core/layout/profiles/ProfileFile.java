package io.zarrsync.core.layout.profiles;

import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.config.UnknownVariables;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.DimKind;
import io.zarrsync.core.layout.DimSpec;
import io.zarrsync.core.layout.FileRecords;
import io.zarrsync.core.layout.Rank;
import io.zarrsync.core.layout.RecordReads;
import io.zarrsync.core.layout.SourceRecord;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.Variable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The profiles of one open file, checked against the store: every configured variable the file has
 * must have the store array's dims and type (or a type the config converts), strings no longer than
 * the store's; variables it lacks are read as fill and listed in {@link #missingArrays()}.
 */
final class ProfileFile implements FileRecords {
  /** Reads one store array for the profile at a position. */
  private interface ArraySource {
    NdArray read(int position, long[] origin, int[] count);
  }

  private final String key;
  private final List<SourceRecord> records;
  private final Map<String, Long> extents;
  private final Set<String> missing;
  private final Map<String, ArraySource> sources;

  private ProfileFile(
      String key,
      List<Identity> identities,
      List<Rank> ranks,
      Map<String, Long> extents,
      Set<String> missing,
      Map<String, ArraySource> sources) {
    this.key = key;
    this.extents = Collections.unmodifiableMap(extents);
    this.missing = Collections.unmodifiableSet(missing);
    this.sources = sources;
    List<SourceRecord> out = new ArrayList<>(identities.size());
    for (int p = 0; p < identities.size(); p++) {
      out.add(new Profile(this, p, identities.get(p).toString(), ranks.get(p)));
    }
    this.records = Collections.unmodifiableList(out);
  }

  /**
   * Checks {@code file} against {@code schema} and reads its profiles' identities and ranks.
   *
   * @throws InvalidSourceFileException naming the variable and the reason if the file does not fit
   */
  static ProfileFile open(
      ProfilesLayout layout, StoreSchema schema, String key, NetcdfFile file, int profiles) {
    ProfilesSettings settings = layout.settings();
    String recordDim = settings.recordDim();
    Set<String> growDims =
        schema.dims().stream()
            .filter(d -> d.kind() == DimKind.GROWABLE)
            .map(DimSpec::name)
            .collect(Collectors.toSet());
    Map<String, ArraySource> sources = new HashMap<>();
    Set<String> missing = new TreeSet<>();
    for (ArraySpec spec : schema.arrays(ArrayRole.RECORD)) {
      String name = spec.name();
      if (settings.keyArray().filter(name::equals).isPresent()) {
        sources.put(name, keySource(key, spec));
        continue;
      }
      if (settings.positionArray().filter(name::equals).isPresent()) {
        sources.put(name, (position, origin, count) -> positionArray(position));
        continue;
      }
      Optional<Variable> v = file.findVariable(name);
      if (v.isEmpty()) {
        missing.add(name);
        sources.put(name, (position, origin, count) -> RecordReads.filled(spec, count));
        continue;
      }
      VariableShape shape = check(layout, schema, key, spec, v.get(), growDims);
      VariableReader reader = new VariableReader(spec, v.get(), shape);
      sources.put(name, reader::read);
    }
    if (layout.config().unknownVariables() == UnknownVariables.REJECT) {
      rejectUnknown(settings, schema, key, file);
    }
    List<FieldValues> identityFields = new ArrayList<>();
    for (String field : settings.identity()) {
      identityFields.add(FieldValues.read(file, key, field, recordDim, profiles));
    }
    List<FieldValues> rankFields = new ArrayList<>();
    for (RankRule rule : settings.rank()) {
      rankFields.add(FieldValues.read(file, key, rule.field(), recordDim, profiles));
    }
    List<Identity> identities = new ArrayList<>(profiles);
    List<Rank> ranks = new ArrayList<>(profiles);
    for (int p = 0; p < profiles; p++) {
      List<Object> values = new ArrayList<>(identityFields.size());
      for (FieldValues f : identityFields) {
        values.add(f.get(p));
      }
      identities.add(Identity.of(values, key, p));
      List<Object> components = new ArrayList<>(rankFields.size());
      for (int r = 0; r < rankFields.size(); r++) {
        FieldValues f = rankFields.get(r);
        components.add(settings.rank().get(r).component(f.get(p), f.numeric()));
      }
      ranks.add(new Rank(components));
    }
    Map<String, Long> extents = new LinkedHashMap<>();
    for (DimSpec d : schema.dims()) {
      if (!d.name().equals(recordDim)) {
        file.findDimension(d.name()).ifPresent(x -> extents.put(d.name(), x.length()));
      }
    }
    return new ProfileFile(key, identities, ranks, extents, missing, sources);
  }

  private static VariableShape check(
      ProfilesLayout layout,
      StoreSchema schema,
      String key,
      ArraySpec spec,
      Variable v,
      Set<String> growDims) {
    String name = spec.name();
    VariableShape shape;
    try {
      shape = VariableShape.of(v, layout.settings().recordDim(), growDims);
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceFileException(key, name + ": " + e.getMessage());
    }
    List<String> expected = spec.dims().subList(1, spec.dims().size());
    if (!shape.inner().equals(expected)) {
      throw new InvalidSourceFileException(
          key,
          name
              + ": dims "
              + v.dimensions().stream().map(Dimension::name).toList()
              + " do not match the store's "
              + spec.dims()
              + (spec.stringLength() > 0 ? " (plus a string length)" : ""));
    }
    DataType type = v.dataType();
    boolean converted =
        type != spec.dataType()
            && type.isNumeric()
            && layout.dtypeOverride(name).filter(t -> t == spec.dataType()).isPresent();
    if (type != spec.dataType() && !converted) {
      throw new InvalidSourceFileException(
          key, name + ": type " + type + ", the store's array is " + spec.dataType());
    }
    if (type == DataType.CHAR) {
      boolean hasStringDim =
          v.dimensions().size() > (shape.perProfile() ? 1 : 0) + shape.inner().size();
      int length = hasStringDim ? shape.stringLength() : 1;
      int capacity = Math.max(1, spec.stringLength());
      if (length > capacity) {
        throw new InvalidSourceFileException(
            key,
            name
                + ": strings of "
                + length
                + " characters do not fit the store's "
                + capacity
                + "-character array");
      }
    }
    for (int i = 0; i < expected.size(); i++) {
      DimSpec d = schema.dim(expected.get(i));
      long length = shape.innerLengths().get(i);
      if (d.kind() == DimKind.FIXED && length != d.size()) {
        throw new InvalidSourceFileException(
            key,
            name
                + ": "
                + d.name()
                + " is "
                + length
                + ", the store's "
                + d.name()
                + " is "
                + d.size());
      }
      if (d.kind() == DimKind.GROWABLE && d.max() > 0 && length > d.max()) {
        throw new InvalidSourceFileException(
            key,
            name
                + ": "
                + d.name()
                + " is "
                + length
                + ", more than the configured maximum "
                + d.max());
      }
    }
    return shape;
  }

  private static void rejectUnknown(
      ProfilesSettings settings, StoreSchema schema, String key, NetcdfFile file) {
    Set<String> known = new TreeSet<>(settings.identity());
    settings.rank().forEach(r -> known.add(r.field()));
    schema.arrays().forEach(a -> known.add(a.name()));
    List<String> unknown = new ArrayList<>();
    for (Variable v : file.variables()) {
      boolean record = v.dimensions().stream().anyMatch(d -> d.name().equals(settings.recordDim()));
      if (record && !known.contains(v.name())) {
        unknown.add(v.name());
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidSourceFileException(
          key,
          "has per-profile variables the config does not list: "
              + String.join(", ", unknown)
              + " (unknown-variables: reject)");
    }
  }

  private static ArraySource keySource(String key, ArraySpec spec) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > spec.stringLength()) {
      throw new InvalidSourceFileException(
          key,
          "the key is "
              + bytes.length
              + " bytes long, more than the "
              + spec.stringLength()
              + " the provenance key array "
              + spec.name()
              + " holds");
    }
    return (position, origin, count) -> {
      NdArray out = NdArray.allocate(DataType.CHAR, spec.stringLength());
      out.buffer().put(0, bytes);
      return out;
    };
  }

  private static NdArray positionArray(int position) {
    NdArray out = NdArray.allocate(DataType.INT);
    out.setLong(0, position);
    return out;
  }

  @Override
  public List<SourceRecord> records() {
    return records;
  }

  @Override
  public Map<String, Long> extents() {
    return extents;
  }

  @Override
  public NdArray readStatic(String array, long[] origin, int[] count) {
    throw new IllegalArgumentException(
        key + ": the profiles layout has no static arrays, asked for " + array);
  }

  @Override
  public Set<String> missingArrays() {
    return missing;
  }

  NdArray read(int position, String array, long[] origin, int[] count) {
    ArraySource source = sources.get(array);
    if (source == null) {
      throw new IllegalArgumentException(key + ": no record array " + array + " in the store");
    }
    return source.read(position, origin, count);
  }
}
