package io.zarrsync.aws.testing;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.write.Nc3Writer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Small daily NetCDF-3 grids (as core's ConstantDays): every cell of day {@code d}, revision {@code
 * r} holds {@code d * 10 + r} in an int array {@code a} and a short array {@code b}, so any store
 * shows which version of which day each row came from. Day 0 is 2022-01-01 (noon), slot 0 of {@link
 * #yaml}.
 */
public final class GridDays {
  public static final int LAT = 16;
  public static final int LON = 24;

  private GridDays() {}

  /**
   * A grid collection config.
   *
   * @param name the collection name
   * @param source where the days are, e.g. {@code s3://bucket/incoming/sst}
   * @param store where the store goes, e.g. {@code s3://bucket/zarr/sst.zarr}
   */
  public static String yaml(String name, String source, String store) {
    return String.join(
        "\n",
        "name: " + name,
        "match: '.*\\.nc'",
        "source: " + source,
        "store: " + store,
        "layout: grid",
        "axis: {dim: time, step: P1D, origin: 2022-01-01T00:00:00Z}",
        "chunks: {time: 2, lat: 8, lon: 12}",
        "variables: [a, b]",
        "compressor: {id: zstd, level: 1}",
        "");
  }

  /** The default key of day {@code day}: {@code day/yyyymmdd.nc}. */
  public static String key(int day) {
    return "day/"
        + java.time.LocalDate.of(2022, 1, 1).plusDays(day).toString().replace("-", "")
        + ".nc";
  }

  /** The NetCDF bytes of day {@code day}, revision {@code revision} (0 to 9). */
  public static byte[] bytes(int day, int revision) {
    if (revision < 0 || revision > 9) {
      throw new IllegalArgumentException("revision 0..9: " + revision);
    }
    int value = day * 10 + revision;
    NdArray time = NdArray.allocate(DataType.INT, 1);
    time.setLong(0, day * 86_400L + 43_200L);
    NdArray lat = NdArray.allocate(DataType.FLOAT, LAT);
    NdArray lon = NdArray.allocate(DataType.FLOAT, LON);
    for (int i = 0; i < LAT; i++) {
      lat.setDouble(i, -40.0 + 2.5 * i);
    }
    for (int j = 0; j < LON; j++) {
      lon.setDouble(j, 100.0 + 2.5 * j);
    }
    NdArray a = NdArray.allocate(DataType.INT, 1, LAT, LON);
    NdArray b = NdArray.allocate(DataType.SHORT, 1, LAT, LON);
    for (int i = 0; i < LAT * LON; i++) {
      a.setLong(i, value);
      b.setLong(i, value);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new Nc3Writer()
          .unlimitedDimension("time")
          .dimension("lat", LAT)
          .dimension("lon", LON)
          .globalAttribute("title", "grid days for zarrsync-aws tests")
          .globalAttribute("revision", revision)
          .variable(
              "time",
              DataType.INT,
              List.of("time"),
              Map.of("units", "seconds since 2022-01-01 00:00:00", "calendar", "gregorian"),
              time)
          .variable("lat", DataType.FLOAT, List.of("lat"), Map.of("units", "degrees_north"), lat)
          .variable("lon", DataType.FLOAT, List.of("lon"), Map.of("units", "degrees_east"), lon)
          .variable(
              "a", DataType.INT, List.of("time", "lat", "lon"), Map.of("_FillValue", -9999), a)
          .variable(
              "b",
              DataType.SHORT,
              List.of("time", "lat", "lon"),
              Map.of("_FillValue", (short) -32768),
              b)
          .writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
