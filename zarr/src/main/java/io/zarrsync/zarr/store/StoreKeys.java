package io.zarrsync.zarr.store;

/**
 * Validation of store keys, shared by every {@link Store} so that a key means the same thing on
 * disk, in memory and in S3, and can never escape a store's root.
 */
public final class StoreKeys {
  private StoreKeys() {}

  /**
   * Checks that {@code key} is a relative '/'-separated path: not empty, no leading '/', no empty,
   * "." or ".." segment, no backslash and no NUL.
   *
   * @throws IllegalArgumentException naming the key and the rule it breaks
   */
  public static String validate(String key) {
    if (key == null) {
      throw new IllegalArgumentException("store key must not be null");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("store key must not be empty");
    }
    checkCharacters(key);
    if (key.charAt(0) == '/') {
      throw new IllegalArgumentException("store key must be relative: '" + key + "'");
    }
    int start = 0;
    while (true) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? key.length() : slash;
      checkSegment(key, key.substring(start, end));
      if (slash < 0) {
        return key;
      }
      start = slash + 1;
    }
  }

  /**
   * Checks a {@link Store#list} prefix: "" or a string whose complete segments (those followed by
   * '/') follow the key rules; the last, partial segment may be anything a key segment can start
   * with.
   */
  public static String validatePrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("store prefix must not be null");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    checkCharacters(prefix);
    if (prefix.charAt(0) == '/') {
      throw new IllegalArgumentException("store prefix must be relative: '" + prefix + "'");
    }
    int start = 0;
    int slash;
    while ((slash = prefix.indexOf('/', start)) >= 0) {
      checkSegment(prefix, prefix.substring(start, slash));
      start = slash + 1;
    }
    return prefix;
  }

  /** Checks a directory prefix for {@link Store#listChildren}: "" or a valid key plus '/'. */
  public static String validateDirectory(String dir) {
    if (dir == null) {
      throw new IllegalArgumentException("store directory must not be null");
    }
    if (dir.isEmpty()) {
      return dir;
    }
    if (!dir.endsWith("/")) {
      throw new IllegalArgumentException("store directory must end with '/': '" + dir + "'");
    }
    validate(dir.substring(0, dir.length() - 1));
    return dir;
  }

  private static void checkCharacters(String key) {
    if (key.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("store key must not contain '\\': '" + key + "'");
    }
    if (key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "store key must not contain NUL: '" + key.replace('\0', '?') + "'");
    }
  }

  private static void checkSegment(String key, String segment) {
    if (segment.isEmpty()) {
      throw new IllegalArgumentException("store key has an empty segment: '" + key + "'");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw new IllegalArgumentException(
          "store key must not have a '" + segment + "' segment: '" + key + "'");
    }
  }
}
