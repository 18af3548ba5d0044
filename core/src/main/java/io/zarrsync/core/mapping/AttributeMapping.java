package io.zarrsync.core.mapping;

import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Attribute;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns NetCDF attributes into JSON-able values the way xarray's Zarr backend writes them, so that
 * {@code xarray.open_zarr} sees the same attribute values as {@code xarray.open_dataset}: text as a
 * string, one number as a scalar, several numbers (or strings) as a list.
 */
public final class AttributeMapping {
  private AttributeMapping() {}

  /** Attributes as an ordered JSON map, leaving out the names in {@code exclude}. */
  public static Map<String, Object> toJson(List<Attribute> attributes, List<String> exclude) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Attribute a : attributes) {
      if (!exclude.contains(a.name())) {
        out.put(a.name(), toJson(a));
      }
    }
    return out;
  }

  /** One attribute's value as JSON: String, Number, or a List of them. */
  public static Object toJson(Attribute a) {
    if (a.type() == DataType.CHAR) {
      // netCDF4-python (and so xarray) drops every NUL from text attributes, not only trailing
      // ones; some IMOS files pad inside the text ("latitude\0\0... status_flag").
      return a.values().isEmpty() ? "" : ((String) a.values().get(0)).replace("\0", "");
    }
    List<Object> values = new ArrayList<>(a.values().size());
    for (Object v : a.values()) {
      values.add(v instanceof BigInteger b && b.bitLength() < 64 ? b.longValue() : v);
    }
    return values.size() == 1 ? values.get(0) : values;
  }
}
