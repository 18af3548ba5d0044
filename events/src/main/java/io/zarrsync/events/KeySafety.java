package io.zarrsync.events;

/**
 * Decides whether a decoded key may be handed to the engine. A key is a relative path below the
 * source root, so anything that could climb out of it or alias another key is refused: a {@code ..}
 * or {@code .} segment, a leading {@code /}, an empty segment ({@code a//b}, or a trailing {@code
 * /} as in S3 console "folder" markers), a NUL character, or an empty key.
 */
final class KeySafety {
  private KeySafety() {}

  /** Returns why {@code key} is unsafe, or null when it is safe. */
  static String problem(String key) {
    if (key.isEmpty()) {
      return "it is empty";
    }
    if (key.indexOf('\0') >= 0) {
      return "it contains a NUL character";
    }
    if (key.startsWith("/")) {
      return "it starts with '/'";
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) {
        return "it has an empty path segment ('//' or a trailing '/')";
      }
      if (segment.equals("..")) {
        return "it has a '..' segment";
      }
      if (segment.equals(".")) {
        return "it has a '.' segment";
      }
    }
    return null;
  }

  /** The key in quotes, with control and other invisible characters shown as escapes. */
  static String quote(String key) {
    StringBuilder sb = new StringBuilder(key.length() + 2).append('\'');
    key.codePoints()
        .forEach(
            cp -> {
              if (Character.isISOControl(cp)
                  || Character.getType(cp) == Character.FORMAT
                  || cp == 0xFFFD) {
                sb.append(String.format("\\u%04X", cp));
              } else {
                sb.appendCodePoint(cp);
              }
            });
    return sb.append('\'').toString();
  }
}
