package io.zarrsync.core.source;

import io.zarrsync.api.ZarrsyncException;

/** Validation of source keys: '/'-separated, relative, never escaping the root. */
public final class SourceKeys {
  private SourceKeys() {}

  /**
   * The canonical form of {@code key}: backslashes are not separators, "./" segments and repeated
   * slashes are dropped.
   *
   * @throws ZarrsyncException if the key is empty, absolute, or has a ".." segment
   */
  public static String normalize(String key) {
    if (key == null || key.isBlank()) {
      throw new ZarrsyncException("empty source key");
    }
    if (key.startsWith("/")) {
      throw new ZarrsyncException(
          "source key '" + key + "' is absolute; keys are relative to the source root");
    }
    StringBuilder out = new StringBuilder();
    for (String seg : key.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        throw new ZarrsyncException("source key '" + key + "' escapes the source root with '..'");
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(seg);
    }
    if (out.length() == 0) {
      throw new ZarrsyncException("source key '" + key + "' names no file");
    }
    return out.toString();
  }
}
