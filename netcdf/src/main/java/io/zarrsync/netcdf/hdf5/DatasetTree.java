package io.zarrsync.netcdf.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.ObjectHeader;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.object.message.AttributeMessage;
import io.zarrsync.netcdf.Dimension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The groups and datasets of a file in creation order, each dataset with all its attributes. */
final class DatasetTree {
  /**
   * netCDF-C stores a variable named like a dimension it does not use under this prefix, next to
   * the dimension's own scale.
   */
  private static final String NON_COORD_PREFIX = "_nc4_non_coord_";

  private DatasetTree() {}

  /** A group: its path prefix ("" for the root, "a/b/" below), datasets and sub-groups. */
  static final class Group {
    final String prefix;
    final List<Entry> datasets = new ArrayList<>();
    final List<Group> children = new ArrayList<>();

    Group(String prefix) {
      this.prefix = prefix;
    }
  }

  /** A dataset with its raw attributes (hidden ones included) and, once resolved, dimensions. */
  static final class Entry {
    final String prefix;
    final String linkName;
    final long address;
    final Dataset dataset;
    final ObjectHeader header;
    final Map<String, AttributeMessage> attributes = new LinkedHashMap<>();

    /** Set by {@link DimensionResolver}: a dimension scale that is not a variable. */
    boolean dimensionOnly;

    /** Set by {@link DimensionResolver} for variables. */
    List<Dimension> dimensions;

    Entry(String prefix, String linkName, long address, Dataset dataset, ObjectHeader header) {
      this.prefix = prefix;
      this.linkName = linkName;
      this.address = address;
      this.dataset = dataset;
      this.header = header;
    }

    String variableName() {
      String n =
          linkName.startsWith(NON_COORD_PREFIX)
              ? linkName.substring(NON_COORD_PREFIX.length())
              : linkName;
      return prefix + n;
    }

    long[] extent() {
      return dataset.getDimensionsAsLong();
    }
  }

  /** Walks the file from its root group. */
  static Group read(HdfFile hdf, ObjectHeaders headers) {
    Group root = new Group("");
    Set<Long> visited = new HashSet<>();
    visited.add(hdf.getAddress());
    walk(hdf, headers, root, hdf.getAddress(), visited);
    return root;
  }

  /** Every dataset, the root group's first, then each sub-group's depth first. */
  static List<Entry> flatten(Group root) {
    List<Entry> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(Group g, List<Entry> out) {
    out.addAll(g.datasets);
    for (Group c : g.children) {
      collect(c, out);
    }
  }

  private static void walk(
      HdfFile hdf, ObjectHeaders headers, Group group, long address, Set<Long> visited) {
    for (ObjectHeaders.Link link : headers.links(address)) {
      if (!visited.add(link.address())) {
        continue; // a second hard link to an object already seen (or a cycle)
      }
      List<ObjectHeaders.RawMessage> raw = headers.rawMessages(link.address());
      switch (headers.kind(raw)) {
        case GROUP -> {
          Group child = new Group(group.prefix + link.name() + "/");
          group.children.add(child);
          walk(hdf, headers, child, link.address(), visited);
        }
        case DATASET -> {
          Node node;
          try {
            node = hdf.getNodeByAddress(link.address());
          } catch (RuntimeException e) {
            // jhdf rejects the whole header when one message (an opaque type...) does not parse.
            throw new Hdf5ContentException(
                "variable '"
                    + group.prefix
                    + link.name()
                    + "' cannot be read ("
                    + headers.datatypeClass(raw, 0)
                    + " datatype): "
                    + Hdf5File.describe(e),
                e);
          }
          if (node instanceof Dataset ds) {
            ObjectHeader oh = headers.header(link.address());
            Entry e = new Entry(group.prefix, link.name(), link.address(), ds, oh);
            for (AttributeMessage m : headers.attributes(oh)) {
              e.attributes.putIfAbsent(m.getName(), m);
            }
            group.datasets.add(e);
          }
        }
        case DATATYPE -> {
          // Committed datatypes (NetCDF-4 user-defined types) are not variables.
        }
      }
    }
  }
}
