package io.zarrsync.netcdf;

/**
 * A named dimension. {@code length} is the current length (for an unlimited dimension, the number
 * of records written).
 */
public record Dimension(String name, long length, boolean unlimited) {}
