package io.zarrsync.netcdf.hdf5;

import io.jhdf.Utils;
import io.jhdf.dataset.DatasetReader;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.datatype.VariableLength;
import io.jhdf.object.message.AttributeMessage;
import io.jhdf.storage.HdfBackingStorage;
import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Attribute;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns HDF5 attribute messages into model attributes the way Python netCDF4 reports them: a NetCDF
 * {@code char} attribute, and a {@code string} attribute of one element, become one CHAR text;
 * {@code string} attributes of several elements become STRING.
 */
final class AttributeDecoder {
  private final HdfBackingStorage storage;

  AttributeDecoder(HdfBackingStorage storage) {
    this.storage = storage;
  }

  /**
   * Decodes {@code m}.
   *
   * @param owner the variable name, or "global", for error messages
   * @throws Hdf5ContentException for types NetCDF-4 calls user-defined
   */
  Attribute decode(AttributeMessage m, String owner) {
    io.jhdf.object.datatype.DataType t = m.getDataType();
    ByteBuffer data = m.getDataBuffer();
    int count = data == null ? 0 : Math.toIntExact(m.getDataSpace().getTotalLength());
    DataType type =
        Hdf5Types.modelType(t)
            .orElseThrow(
                () ->
                    new Hdf5ContentException(
                        "attribute '"
                            + m.getName()
                            + "' of "
                            + owner
                            + " has unsupported type "
                            + Hdf5Types.describe(t)));
    if (t instanceof StringData) {
      return fixedStrings(m.getName(), data, count, t.getSize());
    }
    if (t instanceof VariableLength) {
      return variableStrings(m, data, count);
    }
    byte[] bytes = new byte[count * t.getSize()];
    if (data != null) {
      data.duplicate().get(bytes);
    }
    if (Hdf5Types.isBigEndian(t)) {
      Hdf5Types.swapInPlace(bytes, 0, bytes.length, t.getSize());
    }
    return new Attribute(m.getName(), type, Hdf5Types.boxValues(type, bytes, count));
  }

  private static Attribute fixedStrings(String name, ByteBuffer data, int count, int size) {
    List<Object> values = new ArrayList<>(count);
    byte[] element = new byte[size];
    ByteBuffer b = data == null ? null : data.duplicate();
    for (int i = 0; i < count; i++) {
      b.get(element);
      values.add(trimNuls(element));
    }
    if (values.size() <= 1) {
      return Attribute.text(name, values.isEmpty() ? "" : (String) values.get(0));
    }
    return new Attribute(name, DataType.STRING, values);
  }

  private Attribute variableStrings(AttributeMessage m, ByteBuffer data, int count) {
    List<Object> values = new ArrayList<>(count);
    if (count > 0) {
      Object decoded =
          DatasetReader.readDataset(
              m.getDataType(), data, m.getDataSpace().getDimensions(), storage);
      if (decoded instanceof String s) {
        values.add(s);
      } else {
        for (Object o : Utils.flatten(decoded)) {
          values.add(o == null ? "" : o);
        }
      }
    }
    return new Attribute(m.getName(), DataType.STRING, values);
  }

  /** Text of a fixed-size string: trailing NUL padding removed, UTF-8 (ASCII in practice). */
  static String trimNuls(byte[] element) {
    int n = element.length;
    while (n > 0 && element[n - 1] == 0) {
      n--;
    }
    return new String(element, 0, n, StandardCharsets.UTF_8);
  }
}
