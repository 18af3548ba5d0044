package io.zarrsync.core.convert;

import java.util.List;

/**
 * What a conversion wrote.
 *
 * @param files number of source files
 * @param sourceBytes total size of the source files
 * @param arrays names of the arrays written
 * @param chunksWritten chunk objects written
 * @param appendDimension the dimension the files were concatenated along
 * @param seconds wall time
 */
public record ConvertResult(
    int files,
    long sourceBytes,
    List<String> arrays,
    long chunksWritten,
    String appendDimension,
    double seconds) {
  public ConvertResult {
    arrays = List.copyOf(arrays);
  }
}
