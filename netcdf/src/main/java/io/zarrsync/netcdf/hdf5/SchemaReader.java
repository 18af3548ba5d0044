package io.zarrsync.netcdf.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.ObjectHeader;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.message.AttributeMessage;
import io.jhdf.object.message.FillValueMessage;
import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the NetCDF-4 view of an HDF5 file: the format, global attributes, dimensions (see {@link
 * DimensionResolver}) and variables. Variables of sub-groups follow the root group's, named by
 * their path ({@code group/var}). The bookkeeping attributes netCDF-C hides are hidden here too.
 */
final class SchemaReader {
  private static final Set<String> HIDDEN =
      Set.of(
          "CLASS",
          "NAME",
          "DIMENSION_LIST",
          "REFERENCE_LIST",
          "DIMENSION_LABELS",
          "_Netcdf4Dimid",
          "_Netcdf4Coordinates",
          "_NCProperties",
          "_nc3_strict",
          "_SuperblockVersion",
          "_IsNetcdf4");

  /** What the file holds, ready for {@link Hdf5File}. */
  record Schema(
      NetcdfFormat format,
      List<Dimension> dimensions,
      List<Hdf5Variable> variables,
      List<Attribute> globalAttributes) {}

  private final HdfFile hdf;
  private final String fileName;
  private final ObjectHeaders headers;
  private final AttributeDecoder decoder;
  private final ChunkCache cache;
  private final ScratchPool pool;
  private final boolean parallel;
  private final AtomicBoolean closed;

  SchemaReader(
      HdfFile hdf,
      String fileName,
      ChunkCache cache,
      ScratchPool pool,
      boolean parallel,
      AtomicBoolean closed) {
    this.hdf = hdf;
    this.parallel = parallel;
    this.fileName = fileName;
    this.headers = new ObjectHeaders(hdf);
    this.decoder = new AttributeDecoder(hdf.getHdfBackingStorage());
    this.cache = cache;
    this.pool = pool;
    this.closed = closed;
  }

  Schema read() {
    ObjectHeader rootHeader = headers.header(hdf.getAddress());
    List<AttributeMessage> rootAttributes = headers.attributes(rootHeader);
    boolean classic = rootAttributes.stream().anyMatch(m -> m.getName().equals("_nc3_strict"));
    List<Attribute> globals = visible(rootAttributes, "the root group");

    DatasetTree.Group root = DatasetTree.read(hdf, headers);
    List<Dimension> dimensions =
        new DimensionResolver(decoder, hdf.getHdfBackingStorage()).resolve(root);
    List<Hdf5Variable> variables = new ArrayList<>();
    for (DatasetTree.Entry e : DatasetTree.flatten(root)) {
      if (!e.dimensionOnly) {
        variables.add(variable(e));
      }
    }
    return new Schema(
        classic ? NetcdfFormat.NETCDF4_CLASSIC : NetcdfFormat.NETCDF4,
        dimensions,
        variables,
        globals);
  }

  private Hdf5Variable variable(DatasetTree.Entry e) {
    String name = e.variableName();
    Dataset ds = e.dataset;
    io.jhdf.object.datatype.DataType fileType = ds.getDataType();
    DataType type =
        Hdf5Types.modelType(fileType)
            .orElseThrow(
                () ->
                    new Hdf5ContentException(
                        "variable '"
                            + name
                            + "' has unsupported type "
                            + Hdf5Types.describe(fileType)));
    List<Attribute> attributes = visible(e.attributes.values(), "variable '" + name + "'");
    if (type.isIntegral() && !type.isUnsigned()) {
      for (Attribute a : attributes) {
        if (a.name().equals("_Unsigned") && "true".equalsIgnoreCase(a.stringValue())) {
          type = type.toUnsigned();
        }
      }
    }
    long[] extent = e.extent();
    long[] shape = new long[extent.length];
    for (int d = 0; d < extent.length; d++) {
      Dimension dim = e.dimensions.get(d);
      shape[d] = dim.length();
      // Along an unlimited dimension a variable may hold fewer records than the longest one.
      if (dim.unlimited() ? extent[d] > dim.length() : extent[d] != dim.length()) {
        throw new Hdf5ContentException(
            "variable '"
                + name
                + "' has extent "
                + extent[d]
                + " along dimension '"
                + dim.name()
                + "' of length "
                + dim.length());
      }
    }
    RawStorage storage = null;
    byte[] fill = new byte[0];
    if (type != DataType.STRING) {
      fill = fillBytes(e.header, type.size());
      storage = storage(name, ds, extent, type.size(), fill);
    }
    return new Hdf5Variable(
        fileName,
        name,
        type,
        e.dimensions,
        shape,
        attributes,
        ds,
        extent,
        storage,
        fill,
        fileType,
        closed);
  }

  private RawStorage storage(String name, Dataset ds, long[] extent, int es, byte[] fill) {
    if (ds instanceof ChunkedDataset c) {
      List<PipelineFilterWithData> filters;
      try {
        filters = c.getFilters();
      } catch (HdfException ex) {
        throw new Hdf5ContentException(
            "variable '" + name + "' uses an unsupported HDF5 filter: " + ex.getMessage(), ex);
      }
      try {
        return new ChunkedStorage(c, filters, extent, es, fill, cache, pool, parallel);
      } catch (Hdf5ContentException ex) {
        throw new Hdf5ContentException("variable '" + name + "': " + ex.getMessage(), ex);
      }
    }
    if (ds instanceof ContiguousDataset c) {
      return new ContiguousStorage(c, hdf.getHdfBackingStorage(), extent, es, fill);
    }
    if (ds instanceof DatasetBase b) {
      return new CompactStorage(b, extent, es);
    }
    throw new Hdf5ContentException(
        "variable '" + name + "' has an unsupported storage layout " + ds.getDataLayout());
  }

  /** The HDF5 fill value in file byte order: what HDF5 returns for unwritten elements. */
  private static byte[] fillBytes(ObjectHeader header, int elementSize) {
    byte[] fill = new byte[elementSize];
    if (header.hasMessageOfType(FillValueMessage.class)) {
      FillValueMessage m = header.getMessageOfType(FillValueMessage.class);
      ByteBuffer b = m.isFillValueDefined() ? m.getFillValue() : null;
      if (b != null && b.remaining() == elementSize) {
        b.duplicate().get(fill);
      }
    }
    return fill;
  }

  private List<Attribute> visible(Collection<AttributeMessage> attributes, String owner) {
    List<Attribute> out = new ArrayList<>();
    for (AttributeMessage m : attributes) {
      if (!HIDDEN.contains(m.getName())) {
        out.add(decoder.decode(m, owner));
      }
    }
    return List.copyOf(out);
  }
}
