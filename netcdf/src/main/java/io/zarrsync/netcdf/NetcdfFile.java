package io.zarrsync.netcdf;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An open NetCDF file (any format). Only the root group is modelled; variables of sub-groups of a
 * NetCDF-4 file are listed with their path as name ({@code group/var}). Close it to release the
 * file handle. Not thread-safe unless a reader says so.
 */
public interface NetcdfFile extends AutoCloseable {
  Path path();

  NetcdfFormat format();

  List<Dimension> dimensions();

  List<Variable> variables();

  List<Attribute> globalAttributes();

  default Optional<Variable> findVariable(String name) {
    return variables().stream().filter(v -> v.name().equals(name)).findFirst();
  }

  default Optional<Dimension> findDimension(String name) {
    return dimensions().stream().filter(d -> d.name().equals(name)).findFirst();
  }

  default Optional<Attribute> globalAttribute(String name) {
    return globalAttributes().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The unlimited dimension, if any. */
  default Optional<Dimension> unlimitedDimension() {
    return dimensions().stream().filter(Dimension::unlimited).findFirst();
  }

  @Override
  void close();
}
