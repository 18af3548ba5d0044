package io.zarrsync.netcdf.hdf5;

import io.jhdf.dataset.DatasetReader;
import io.jhdf.object.message.AttributeMessage;
import io.jhdf.storage.HdfBackingStorage;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the NetCDF-4 dimensions of a file and of each variable, as netCDF-C does.
 *
 * <ul>
 *   <li>Dimensions are the dimension scales (datasets with {@code CLASS = "DIMENSION_SCALE"}),
 *       named after their dataset, ordered by {@code _Netcdf4Dimid}; a scale whose {@code NAME}
 *       says "This is a netCDF dimension but not a netCDF variable" is a dimension only. A
 *       dimension is unlimited when the scale's maximum extent is; its length is the largest extent
 *       of the variables using it.
 *   <li>A variable's dimensions come from its {@code DIMENSION_LIST} references, else from {@code
 *       _Netcdf4Coordinates}, else are phony: {@code phony_dim_N}, shared by datasets of one group
 *       with the same length and unlimitedness but distinct within one dataset, numbered after the
 *       real dimensions with sub-groups first. This is also how HDF5 files not written by netCDF
 *       are read.
 *   <li>Dimensions of sub-groups are named by their path ({@code group/dim}).
 * </ul>
 */
final class DimensionResolver {
  static final String DIMENSION_ONLY = "This is a netCDF dimension but not a netCDF variable";

  private final AttributeDecoder decoder;
  private final HdfBackingStorage storage;

  DimensionResolver(AttributeDecoder decoder, HdfBackingStorage storage) {
    this.decoder = decoder;
    this.storage = storage;
  }

  private static final class DimBuilder {
    final String name;
    long length;
    final boolean unlimited;
    final long dimid;
    final int discovered;
    Dimension built;

    DimBuilder(String name, long length, boolean unlimited, long dimid, int discovered) {
      this.name = name;
      this.length = length;
      this.unlimited = unlimited;
      this.dimid = dimid;
      this.discovered = discovered;
    }
  }

  /**
   * Sets {@link DatasetTree.Entry#dimensionOnly} and {@link DatasetTree.Entry#dimensions} of every
   * dataset and returns the file's dimensions: the real ones by dimension id, then phony ones.
   */
  List<Dimension> resolve(DatasetTree.Group root) {
    List<DatasetTree.Entry> all = DatasetTree.flatten(root);
    Map<Long, DimBuilder> scales = new HashMap<>();
    Map<Long, DimBuilder> byDimid = new HashMap<>();
    List<DimBuilder> real = new ArrayList<>();
    for (DatasetTree.Entry e : all) {
      DimBuilder b = scale(e, real.size());
      if (b != null) {
        real.add(b);
        scales.put(e.address, b);
        if (b.dimid >= 0) {
          byDimid.putIfAbsent(b.dimid, b);
        }
      }
    }
    Map<DatasetTree.Entry, DimBuilder[]> axes = new IdentityHashMap<>();
    for (DatasetTree.Entry e : all) {
      if (!e.dimensionOnly) {
        axes.put(e, found(e, scales.get(e.address), scales, byDimid));
      }
    }
    List<DimBuilder> phony = new ArrayList<>();
    assignPhony(root, axes, new int[] {real.size()}, phony);

    for (Map.Entry<DatasetTree.Entry, DimBuilder[]> a : axes.entrySet()) {
      long[] extent = a.getKey().extent();
      for (int d = 0; d < extent.length; d++) {
        DimBuilder dim = a.getValue()[d];
        if (dim.unlimited) {
          dim.length = Math.max(dim.length, extent[d]);
        }
      }
    }
    real.sort(
        Comparator.comparingLong((DimBuilder b) -> b.dimid < 0 ? Long.MAX_VALUE : b.dimid)
            .thenComparingInt(b -> b.discovered));
    List<Dimension> dimensions = new ArrayList<>();
    for (List<DimBuilder> list : List.of(real, phony)) {
      for (DimBuilder b : list) {
        b.built = new Dimension(b.name, b.length, b.unlimited);
        dimensions.add(b.built);
      }
    }
    for (Map.Entry<DatasetTree.Entry, DimBuilder[]> a : axes.entrySet()) {
      a.getKey().dimensions = Arrays.stream(a.getValue()).map(b -> b.built).toList();
    }
    return dimensions;
  }

  /** The dimension a dimension scale defines, or null if {@code e} is no scale. */
  private DimBuilder scale(DatasetTree.Entry e, int discovered) {
    String cls = text(e.attributes.get("CLASS"));
    long[] extent = e.extent();
    if (!"DIMENSION_SCALE".equals(cls) || extent.length == 0) {
      return null;
    }
    String name = text(e.attributes.get("NAME"));
    e.dimensionOnly = name != null && name.startsWith(DIMENSION_ONLY);
    long[] max = e.dataset.getMaxSize();
    boolean unlimited = max != null && max.length > 0 && max[0] < 0;
    Long dimid = integer(e.attributes.get("_Netcdf4Dimid"));
    return new DimBuilder(
        e.prefix + e.linkName, extent[0], unlimited, dimid == null ? -1 : dimid, discovered);
  }

  /** The dimensions named for each axis; null entries get phony dimensions later. */
  private DimBuilder[] found(
      DatasetTree.Entry e,
      DimBuilder ownScale,
      Map<Long, DimBuilder> scales,
      Map<Long, DimBuilder> byDimid) {
    int rank = e.extent().length;
    DimBuilder[] dims = new DimBuilder[rank];
    if (rank == 0) {
      return dims;
    }
    // A coordinate variable is its own first dimension.
    dims[0] = ownScale;
    AttributeMessage list = e.attributes.get("DIMENSION_LIST");
    if (list != null) {
      Object[] refs = references(list, e);
      for (int d = 0; d < rank && refs.length == rank; d++) {
        if (dims[d] == null && refs[d] instanceof long[] targets) {
          for (long target : targets) {
            if (dims[d] == null) {
              dims[d] = scales.get(target);
            }
          }
        }
      }
    }
    AttributeMessage coords = e.attributes.get("_Netcdf4Coordinates");
    if (coords != null) {
      List<Object> ids = decoder.decode(coords, "variable '" + e.variableName() + "'").values();
      for (int d = 0; d < rank && ids.size() == rank; d++) {
        if (dims[d] == null && ids.get(d) instanceof Number n) {
          dims[d] = byDimid.get(n.longValue());
        }
      }
    }
    return dims;
  }

  /** The object addresses each axis of {@code DIMENSION_LIST} refers to. */
  private Object[] references(AttributeMessage list, DatasetTree.Entry e) {
    try {
      ByteBuffer data = list.getDataBuffer();
      if (data == null) {
        return new Object[0];
      }
      Object decoded =
          DatasetReader.readDataset(
              list.getDataType(), data, list.getDataSpace().getDimensions(), storage);
      return decoded instanceof Object[] a ? a : new Object[] {decoded};
    } catch (RuntimeException ex) {
      throw new Hdf5ContentException(
          "variable '" + e.variableName() + "': unreadable DIMENSION_LIST: " + ex.getMessage(), ex);
    }
  }

  /** netCDF-C matches phony dimensions after reading the whole tree, sub-groups first. */
  private static void assignPhony(
      DatasetTree.Group g,
      Map<DatasetTree.Entry, DimBuilder[]> axes,
      int[] counter,
      List<DimBuilder> phony) {
    for (DatasetTree.Group c : g.children) {
      assignPhony(c, axes, counter, phony);
    }
    List<DimBuilder> inGroup = new ArrayList<>();
    for (DatasetTree.Entry e : g.datasets) {
      DimBuilder[] dims = axes.get(e);
      if (dims == null) {
        continue;
      }
      long[] extent = e.extent();
      long[] max = e.dataset.getMaxSize();
      for (int d = 0; d < dims.length; d++) {
        if (dims[d] != null) {
          continue;
        }
        boolean unlimited = max != null && max.length > d && max[d] < 0;
        DimBuilder match = null;
        for (DimBuilder p : inGroup) {
          if (match == null
              && p.length == extent[d]
              && p.unlimited == unlimited
              && !uses(dims, p)) {
            match = p;
          }
        }
        if (match == null) {
          String name = g.prefix + "phony_dim_" + counter[0];
          match = new DimBuilder(name, extent[d], unlimited, -1, counter[0]++);
          inGroup.add(match);
          phony.add(match);
        }
        dims[d] = match;
      }
    }
  }

  private static boolean uses(DimBuilder[] dims, DimBuilder b) {
    for (DimBuilder d : dims) {
      if (d == b) {
        return true;
      }
    }
    return false;
  }

  /** The text of a string attribute, or null. */
  private String text(AttributeMessage m) {
    if (m == null) {
      return null;
    }
    try {
      return decoder.decode(m, "dimension scale").stringValue();
    } catch (Hdf5ContentException e) {
      return null;
    }
  }

  /** The value of a one-element integer attribute, or null. */
  private Long integer(AttributeMessage m) {
    if (m == null) {
      return null;
    }
    try {
      Attribute a = decoder.decode(m, "dimension scale");
      return a.type().isIntegral() && a.values().size() == 1
          ? ((Number) a.values().get(0)).longValue()
          : null;
    } catch (Hdf5ContentException e) {
      return null;
    }
  }
}
