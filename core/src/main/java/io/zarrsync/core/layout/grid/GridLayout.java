package io.zarrsync.core.layout.grid;

import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.config.UnknownVariables;
import io.zarrsync.core.config.VariableConfig;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.DimKind;
import io.zarrsync.core.layout.DimSpec;
import io.zarrsync.core.layout.FileRecords;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.Rank;
import io.zarrsync.core.layout.RecordReads;
import io.zarrsync.core.layout.RowPolicy;
import io.zarrsync.core.layout.SourceRecord;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.core.mapping.AttributeMapping;
import io.zarrsync.core.mapping.VariableMapping;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Cf;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.zarr.ArrayMetadata;
import io.zarrsync.zarr.Codec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Grid files (e.g. daily SST): the record dimension is a regular time axis; each time step of a
 * file is one record whose row is its slot on the axis, whose identity is the slot's nominal
 * instant, and whose rank comes from the configured global attributes. The coordinate variables of
 * the other dimensions (lat, lon) are static arrays; the time coordinate is computed for every
 * slot.
 */
final class GridLayout implements Layout {
  /** Default chunk length of a non-record dimension without a {@code chunks:} entry. */
  static final int DEFAULT_CHUNK = 1000;

  private static final List<String> PACKING = List.of("scale_factor", "add_offset");

  private static final List<String> UNPACKED_DROPS =
      List.of(
          "scale_factor", "add_offset", "valid_min", "valid_max", "valid_range", "missing_value");

  private final CollectionConfig config;
  private final GridAxis axis;
  private final List<String> rankAttributes;

  GridLayout(CollectionConfig config, GridAxis axis, List<String> rankAttributes) {
    this.config = config;
    this.axis = axis;
    this.rankAttributes = List.copyOf(rankAttributes);
  }

  GridAxis axis() {
    return axis;
  }

  // ---------------------------------------------------------------- schema

  @Override
  public StoreSchema schema(String key, NetcdfFile file) {
    Variable time = axisVariable(key, file);
    Map<String, Long> sizes = new LinkedHashMap<>();
    List<ArraySpec> arrays = new ArrayList<>();
    arrays.add(timeArray(key, time));
    List<ArraySpec> statics = new ArrayList<>();
    List<ArraySpec> records = new ArrayList<>();
    for (VariableConfig vc : config.variables()) {
      Variable v =
          file.findVariable(vc.name())
              .orElseThrow(
                  () ->
                      new InvalidSourceFileException(
                          key,
                          "lacks the configured variable '"
                              + vc.name()
                              + "', so it cannot define the store (the first file applied must"
                              + " have every configured variable)"));
      List<String> dims = dimNames(v);
      boolean record = dims.contains(axis.dim());
      if (record && !dims.get(0).equals(axis.dim())) {
        throw new InvalidSourceFileException(
            key, vc.name() + ": dims " + dims + " must start with the axis dim " + axis.dim());
      }
      collectSizes(key, v, sizes);
      ArraySpec spec = spec(v, vc, dims, record ? ArrayRole.RECORD : ArrayRole.STATIC);
      (record ? records : statics).add(spec);
    }
    for (String dim : sizes.keySet()) {
      Optional<Variable> coord = file.findVariable(dim);
      if (coord.isPresent()
          && config.variable(dim).isEmpty()
          && dimNames(coord.get()).equals(List.of(dim))) {
        statics.add(0, spec(coord.get(), VariableConfig.of(dim), List.of(dim), ArrayRole.STATIC));
      }
    }
    arrays.addAll(statics);
    arrays.addAll(records);
    List<DimSpec> dims = new ArrayList<>();
    dims.add(new DimSpec(axis.dim(), 0, DimKind.RECORD, chunk(axis.dim(), 1), 0));
    sizes.forEach(
        (d, size) ->
            dims.add(
                new DimSpec(
                    d,
                    size,
                    DimKind.FIXED,
                    chunk(d, (int) Math.max(1, Math.min(size, DEFAULT_CHUNK))),
                    0)));
    for (String d : config.chunks().keySet()) {
      if (dims.stream().noneMatch(x -> x.name().equals(d))) {
        throw new InvalidConfigException(
            config.file()
                + ": key 'chunks."
                + d
                + "': '"
                + d
                + "' is not a dimension of the store (dims: "
                + String.join(", ", dims.stream().map(DimSpec::name).toList())
                + ")");
      }
    }
    return new StoreSchema(
        axis.dim(),
        RowPolicy.COMPUTED,
        dims,
        arrays,
        AttributeMapping.toJson(file.globalAttributes(), List.of()));
  }

  private int chunk(String dim, int fallback) {
    return config.chunks().getOrDefault(dim, fallback);
  }

  private Variable axisVariable(String key, NetcdfFile file) {
    Variable time =
        file.findVariable(axis.variable())
            .orElseThrow(
                () ->
                    new InvalidSourceFileException(
                        key, "has no axis variable '" + axis.variable() + "'"));
    if (!dimNames(time).equals(List.of(axis.dim()))) {
      throw new InvalidSourceFileException(
          key,
          axis.variable()
              + ": dims "
              + dimNames(time)
              + ", expected ["
              + axis.dim()
              + "] (the axis dimension)");
    }
    return time;
  }

  private ArraySpec timeArray(String key, Variable time) {
    ArrayMetadata md = metadata(time);
    Cf.CfTimeUnits units = timeUnits(key, time);
    DataType type = time.dataType();
    if (!type.isNumeric()) {
      throw new InvalidSourceFileException(key, axis.variable() + ": not numeric but " + type);
    }
    Object fill = md.fillValue();
    if (type.isIntegral()) {
      double step =
          units.fromInstant(axis.origin().plus(axis.step())) - units.fromInstant(axis.origin());
      double origin = units.fromInstant(axis.origin());
      if (step != Math.rint(step) || origin != Math.rint(origin)) {
        // nominal times would not be whole numbers of the file's unit: store them as doubles
        type = DataType.DOUBLE;
        fill = fill == null ? null : ((Number) fill).doubleValue();
      }
    }
    return new ArraySpec(
        axis.variable(),
        List.of(axis.dim()),
        type,
        0,
        fill,
        md.attributes(),
        ArrayRole.COMPUTED,
        List.of(Math.max(axis.coordinateChunk(), chunk(axis.dim(), 1))));
  }

  private ArraySpec spec(Variable v, VariableConfig vc, List<String> dims, ArrayRole role) {
    ArrayMetadata md = metadata(v);
    DataType type = vc.dtype() == null ? md.dataType() : vc.dtype();
    Object fill = md.fillValue();
    Map<String, Object> attrs = md.attributes();
    boolean unpack = vc.dtype() != null && type.isFloatingPoint() && RecordReads.packed(v);
    if (unpack) {
      // values are stored unpacked, so the packing and the packed valid range no longer apply
      attrs = new LinkedHashMap<>(attrs);
      for (String a : UNPACKED_DROPS) {
        attrs.remove(a);
      }
      fill = Double.NaN;
    }
    if (vc.fill() != null) {
      fill = vc.fill();
    } else if (vc.dtype() != null && !unpack && fill instanceof Number n) {
      fill = type.isFloatingPoint() ? (Object) n.doubleValue() : (Object) n.longValue();
    }
    if (fill instanceof String s && type.isNumeric()) {
      throw new InvalidConfigException(
          config.file() + ": key 'variables." + vc.name() + ".fill': '" + s + "' is not a number");
    }
    return new ArraySpec(v.name(), dims, type, md.stringLength(), fill, attrs, role);
  }

  private static ArrayMetadata metadata(Variable v) {
    List<Dimension> zdims = VariableMapping.zarrDimensions(v);
    List<Long> shape = new ArrayList<>();
    List<Integer> chunks = new ArrayList<>();
    for (int i = 0; i < zdims.size(); i++) {
      shape.add(0L);
      chunks.add(1);
    }
    return VariableMapping.metadata(v, shape, chunks, Codec.none());
  }

  private void collectSizes(String key, Variable v, Map<String, Long> sizes) {
    for (Dimension d : VariableMapping.zarrDimensions(v)) {
      if (d.name().equals(axis.dim())) {
        continue;
      }
      Long old = sizes.putIfAbsent(d.name(), d.length());
      if (old != null && old != d.length()) {
        throw new InvalidSourceFileException(
            key, v.name() + ": dim " + d.name() + " has length " + d.length() + ", not " + old);
      }
    }
  }

  private static List<String> dimNames(Variable v) {
    return VariableMapping.zarrDimensions(v).stream().map(Dimension::name).toList();
  }

  private Cf.CfTimeUnits timeUnits(String key, Variable time) {
    String units = time.attribute("units").map(Attribute::stringValue).orElse(null);
    String calendar = time.attribute("calendar").map(Attribute::stringValue).orElse(null);
    try {
      return Cf.parseTimeUnits(units, calendar);
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceFileException(key, axis.variable() + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- records

  @Override
  public FileRecords read(StoreSchema schema, String key, NetcdfFile file) {
    Variable time = axisVariable(key, file);
    Cf.CfTimeUnits units = timeUnits(key, time);
    double[] values = Cf.decode(time.read(), time.attributes());
    Map<String, Variable> vars = new LinkedHashMap<>();
    Set<String> missing = new LinkedHashSet<>();
    Map<String, Long> extents = new LinkedHashMap<>();
    for (ArraySpec spec : schema.arrays()) {
      if (spec.role() == ArrayRole.COMPUTED) {
        continue;
      }
      Optional<Variable> found = file.findVariable(spec.name());
      if (found.isEmpty()) {
        if (spec.role() == ArrayRole.STATIC) {
          throw new InvalidSourceFileException(
              key, "lacks the coordinate variable '" + spec.name() + "' the store has");
        }
        missing.add(spec.name());
        continue;
      }
      Variable v = found.get();
      check(key, spec, v);
      vars.put(spec.name(), v);
      for (Dimension d : VariableMapping.zarrDimensions(v)) {
        if (!d.name().equals(axis.dim())) {
          extents.put(d.name(), d.length());
        }
      }
    }
    if (config.unknownVariables() == UnknownVariables.REJECT) {
      List<String> unknown = new ArrayList<>();
      for (Variable v : file.variables()) {
        if (!v.name().equals(axis.variable())
            && schema.array(v.name()).isEmpty()
            && dimNames(v).contains(axis.dim())) {
          unknown.add(v.name());
        }
      }
      if (!unknown.isEmpty()) {
        throw new InvalidSourceFileException(
            key,
            "has variables the config does not list (unknown-variables: reject): "
                + String.join(", ", unknown));
      }
    }
    Rank rank = rank(file);
    List<SourceRecord> records = new ArrayList<>();
    Set<Long> slots = new HashSet<>();
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new InvalidSourceFileException(
            key, axis.variable() + "[" + i + "] is missing (fill value)");
      }
      Instant t;
      long slot;
      try {
        t = units.toInstant(values[i]);
        slot = axis.slot(t);
      } catch (ArithmeticException | IllegalArgumentException e) {
        throw new InvalidSourceFileException(
            key, axis.variable() + "[" + i + "] = " + values[i] + " is not a usable time", e);
      }
      if (slot < 0) {
        throw new InvalidSourceFileException(
            key,
            axis.variable()
                + " "
                + t
                + " is before the axis origin "
                + axis.origin()
                + " (outside the axis)");
      }
      if (!slots.add(slot)) {
        throw new InvalidSourceFileException(
            key, "two time steps fall into the slot of " + axis.instant(slot));
      }
      records.add(new GridRecord(schema, vars, axis.instant(slot).toString(), slot, rank, i));
    }
    return new GridFile(schema, vars, extents, missing, records);
  }

  private void check(String key, ArraySpec spec, Variable v) {
    List<String> dims = dimNames(v);
    if (!dims.equals(spec.dims())) {
      throw new InvalidSourceFileException(
          key, v.name() + ": dims " + dims + " differ from the store's " + spec.dims());
    }
    boolean converted = config.variable(spec.name()).map(VariableConfig::dtype).isPresent();
    if (v.dataType() != spec.dataType() && !(converted && v.dataType().isNumeric())) {
      throw new InvalidSourceFileException(
          key,
          v.name() + ": dtype " + v.dataType() + " differs from the store's " + spec.dataType());
    }
    if (VariableMapping.stringLength(v) > spec.stringLength()) {
      throw new InvalidSourceFileException(
          key,
          v.name()
              + ": strings of "
              + VariableMapping.stringLength(v)
              + " chars do not fit the store's "
              + spec.stringLength());
    }
    if (spec.role() == ArrayRole.RECORD && !converted) {
      for (String p : PACKING) {
        Double mine =
            v.attribute(p).map(Attribute::numericValue).map(Number::doubleValue).orElse(null);
        Object theirs = spec.attributes().get(p);
        Double store = theirs instanceof Number n ? n.doubleValue() : null;
        if (!Objects.equals(mine, store)) {
          throw new InvalidSourceFileException(
              key,
              v.name()
                  + ": "
                  + p
                  + " "
                  + mine
                  + " differs from the store's "
                  + store
                  + " (packed values would decode wrongly)");
        }
      }
    }
  }

  private Rank rank(NetcdfFile file) {
    if (rankAttributes.isEmpty()) {
      return Rank.NONE;
    }
    List<Object> parts = new ArrayList<>();
    for (String name : rankAttributes) {
      Optional<Attribute> a = file.globalAttribute(name);
      Object v = a.map(x -> x.isText() ? (Object) x.stringValue() : x.numericValue()).orElse(null);
      parts.add(v == null ? "" : v);
    }
    return new Rank(parts);
  }

  // ---------------------------------------------------------------- computed time

  @Override
  public NdArray computedRows(StoreSchema schema, ArraySpec array, long firstRow, int count) {
    Object units = array.attributes().get("units");
    Object calendar = array.attributes().get("calendar");
    Cf.CfTimeUnits u =
        Cf.parseTimeUnits(
            units == null ? null : units.toString(), calendar == null ? null : calendar.toString());
    NdArray out = NdArray.allocate(array.dataType(), count);
    for (int i = 0; i < count; i++) {
      double v = u.fromInstant(axis.instant(firstRow + i));
      if (array.dataType().isFloatingPoint()) {
        out.setDouble(i, v);
      } else {
        out.setLong(i, Math.round(v));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- per file

  private record GridFile(
      StoreSchema schema,
      Map<String, Variable> vars,
      Map<String, Long> extents,
      Set<String> missingArrays,
      List<SourceRecord> records)
      implements FileRecords {
    @Override
    public NdArray readStatic(String array, long[] origin, int[] count) {
      ArraySpec spec = schema.array(array).orElseThrow();
      return RecordReads.read(vars.get(array), spec, -1, origin, count);
    }
  }

  private record GridRecord(
      StoreSchema schema,
      Map<String, Variable> vars,
      String identity,
      long slot,
      Rank rank,
      int index)
      implements SourceRecord {
    @Override
    public OptionalLong row() {
      return OptionalLong.of(slot);
    }

    @Override
    public NdArray read(String array, long[] originInRecord, int[] count) {
      ArraySpec spec = schema.array(array).orElseThrow();
      return RecordReads.read(vars.get(array), spec, index, originInRecord, count);
    }
  }
}
