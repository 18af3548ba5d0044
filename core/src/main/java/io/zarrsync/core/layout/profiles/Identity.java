package io.zarrsync.core.layout.profiles;

import java.util.List;
import java.util.Objects;

/**
 * A profile's identity: its identity field values and its position in the file, e.g. {@code
 * 2902269/1/A/0}. When any field is blank the identity falls back to {@code file:<key>#<position>},
 * unique to the file, so that blank fields never merge profiles of different files.
 *
 * <p>Field values are escaped ({@code %}, {@code /} and {@code :} as {@code %25}, {@code %2F},
 * {@code %3A}), so a field-based identity never contains a {@code :} and never equals a fallback
 * one, and distinct field values never join into the same text.
 */
final class Identity {
  private final String text;

  private Identity(String text) {
    this.text = text;
  }

  /**
   * The identity of the profile at {@code position} of the file {@code key}.
   *
   * @param values the identity field values, {@code null} where blank
   */
  static Identity of(List<Object> values, String key, int position) {
    if (values.stream().anyMatch(Objects::isNull)) {
      return new Identity("file:" + key + "#" + position);
    }
    StringBuilder b = new StringBuilder();
    for (Object v : values) {
      b.append(escape(FieldValues.text(v))).append('/');
    }
    return new Identity(b.append(position).toString());
  }

  private static String escape(String s) {
    return s.replace("%", "%25").replace("/", "%2F").replace(":", "%3A");
  }

  @Override
  public String toString() {
    return text;
  }
}
