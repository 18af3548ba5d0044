package io.zarrsync.core.layout.profiles;

import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.config.VariableConfig;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.mapping.AttributeMapping;
import io.zarrsync.core.mapping.VariableMapping;
import io.zarrsync.netcdf.Variable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Defines the store array of a configured variable from the first file's variable: dims (the record
 * dim, then the variable's own dims without a string length), type (the file's, or the config's
 * {@code dtype}), fill (the file's {@code _FillValue}, or the config's {@code fill}; NaN for floats
 * that have none, so padding reads as missing) and the CF attributes as JSON.
 */
final class ArrayDefinition {
  private static final List<String> EXCLUDED = List.of("_FillValue", "_ARRAY_DIMENSIONS");

  private ArrayDefinition() {}

  static ArraySpec define(
      CollectionConfig config,
      VariableConfig vc,
      Variable v,
      VariableShape shape,
      String recordDim) {
    DataType type = v.dataType();
    if (vc.dtype() != null) {
      if (!type.isNumeric()) {
        throw configError(
            config,
            vc.name(),
            "dtype",
            "the file's "
                + vc.name()
                + " is "
                + type
                + "; dtype can only convert numeric variables");
      }
      type = vc.dtype();
    }
    int stringLength = type == DataType.CHAR ? shape.storeStringLength() : 0;
    Object fill;
    if (vc.fill() != null) {
      fill = configFill(config, vc, type, stringLength);
    } else {
      Object fileFill = VariableMapping.fillValue(v).orElse(null);
      fill = fileFill == null ? null : convertFill(config, vc, fileFill, type, stringLength);
      if (fill == null && type.isFloatingPoint()) {
        fill = Double.NaN;
      }
    }
    List<String> dims = new ArrayList<>();
    dims.add(recordDim);
    dims.addAll(shape.inner());
    Map<String, Object> attributes = AttributeMapping.toJson(v.attributes(), EXCLUDED);
    return new ArraySpec(vc.name(), dims, type, stringLength, fill, attributes, ArrayRole.RECORD);
  }

  private static Object configFill(
      CollectionConfig config, VariableConfig vc, DataType type, int stringLength) {
    Object f = vc.fill();
    if (type == DataType.CHAR || type == DataType.STRING) {
      if (!(f instanceof String)) {
        throw configError(config, vc.name(), "fill", "must be text for a char variable");
      }
      return textFill(config, vc, (String) f, type, stringLength);
    }
    if (!(f instanceof Number)) {
      throw configError(config, vc.name(), "fill", "'" + f + "' is not a number");
    }
    return convertFill(config, vc, f, type, stringLength);
  }

  private static Object convertFill(
      CollectionConfig config, VariableConfig vc, Object fill, DataType type, int stringLength) {
    if (fill instanceof String s) {
      return textFill(config, vc, s, type, stringLength);
    }
    Number n = (Number) fill;
    if (type.isFloatingPoint()) {
      return type == DataType.FLOAT ? (Number) n.floatValue() : (Number) n.doubleValue();
    }
    BigInteger value;
    try {
      value =
          n instanceof BigInteger b
              ? b
              : n instanceof Double || n instanceof Float
                  ? new BigDecimal(n.doubleValue()).toBigIntegerExact()
                  : BigInteger.valueOf(n.longValue());
    } catch (ArithmeticException | NumberFormatException e) {
      throw configError(
          config, vc.name(), "fill", "fill " + n + " is not a whole number, as " + type + " needs");
    }
    BigInteger min;
    BigInteger max;
    int bits = 8 * type.size();
    if (type.isUnsigned()) {
      min = BigInteger.ZERO;
      max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    } else {
      min = BigInteger.ONE.shiftLeft(bits - 1).negate();
      max = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw configError(
          config,
          vc.name(),
          "fill",
          "fill "
              + n
              + " does not fit "
              + type
              + " ("
              + min
              + " to "
              + max
              + "); set one that does");
    }
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private static Object textFill(
      CollectionConfig config, VariableConfig vc, String s, DataType type, int stringLength) {
    if (type == DataType.STRING) {
      return s;
    }
    if (type != DataType.CHAR) {
      throw configError(
          config, vc.name(), "fill", "text fill '" + s + "' for a " + type + " array");
    }
    if (s.length() > Math.max(1, stringLength)) {
      throw configError(
          config,
          vc.name(),
          "fill",
          "'" + s + "' is longer than the variable's " + Math.max(1, stringLength) + " characters");
    }
    return s;
  }

  private static InvalidConfigException configError(
      CollectionConfig config, String variable, String key, String message) {
    return new InvalidConfigException(
        (config.file() == null ? "<config>" : config.file().toString())
            + ": key 'variables."
            + variable
            + "."
            + key
            + "': "
            + message);
  }
}
