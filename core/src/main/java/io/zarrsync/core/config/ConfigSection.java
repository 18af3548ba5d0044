package io.zarrsync.core.config;

import io.zarrsync.api.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mapping of a collection config (the document itself or a nested mapping such as {@code axis:}),
 * with typed getters whose errors name the file, the full key and what is allowed. Every key read
 * through a getter counts as known; {@link #finish()} rejects the others with a "did you mean".
 *
 * <p>Layout providers get the collection's section in {@link
 * io.zarrsync.core.layout.LayoutProvider#create} and must ask for every key they support.
 */
public final class ConfigSection {
  private final Path file;
  private final String prefix;
  private final Map<String, Object> values;
  private final Set<String> known = new LinkedHashSet<>();
  private final List<ConfigSection> children = new ArrayList<>();

  /**
   * A section over parsed YAML values (maps, lists, strings, numbers, booleans).
   *
   * @param file the config file, for messages (may be null)
   * @param prefix the key path of this mapping, e.g. {@code "axis"}, or "" for the document
   */
  public ConfigSection(Path file, String prefix, Map<String, Object> values) {
    this.file = file;
    this.prefix = prefix;
    this.values = new LinkedHashMap<>(values);
  }

  /** The config file, or null for a config built in memory. */
  public Path file() {
    return file;
  }

  /** Full key path of {@code key} in this section, e.g. {@code axis.step}. */
  public String path(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** True if the key is present (and marks it known). */
  public boolean has(String key) {
    known.add(key);
    return values.containsKey(key) && values.get(key) != null;
  }

  /** The raw value (maps, lists, strings, numbers), marking the key known. */
  public Optional<Object> raw(String key) {
    known.add(key);
    return Optional.ofNullable(values.get(key));
  }

  /** Marks keys as known without reading them (for keys consumed elsewhere). */
  public void markKnown(Collection<String> keys) {
    known.addAll(keys);
  }

  /** An error about {@code key}: "FILE: key 'a.b': MESSAGE". */
  public InvalidConfigException error(String key, String message) {
    return new InvalidConfigException(
        (file == null ? "<config>" : file.toString()) + ": key '" + path(key) + "': " + message);
  }

  public String requireString(String key) {
    return string(key).orElseThrow(() -> error(key, "is required"));
  }

  public Optional<String> string(String key) {
    Optional<Object> v = raw(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Object o = v.get();
    if (o instanceof Map || o instanceof List) {
      throw error(key, "must be a text value, not " + describe(o));
    }
    String s = o.toString().trim();
    if (s.isEmpty()) {
      throw error(key, "must not be empty");
    }
    return Optional.of(s);
  }

  /** A value that must be one of {@code allowed} (case-insensitive); returns it in lower case. */
  public Optional<String> choice(String key, Collection<String> allowed) {
    Optional<String> v = string(key);
    if (v.isPresent() && !allowed.contains(v.get().toLowerCase(Locale.ROOT))) {
      throw error(
          key,
          "'"
              + v.get()
              + "' is not allowed; use one of "
              + String.join(", ", allowed)
              + DidYouMean.suffix(v.get().toLowerCase(Locale.ROOT), allowed));
    }
    return v.map(s -> s.toLowerCase(Locale.ROOT));
  }

  /** A positive integer. */
  public Optional<Long> positiveLong(String key) {
    Optional<Object> v = raw(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(positive(key, v.get()));
  }

  private long positive(String key, Object o) {
    if (o instanceof Integer || o instanceof Long) {
      long n = ((Number) o).longValue();
      if (n > 0) {
        return n;
      }
    }
    throw error(key, "must be a positive whole number, not " + describe(o));
  }

  /** An ISO-8601 duration such as {@code P1D} or {@code PT1H}. */
  public Optional<Duration> duration(String key) {
    return string(key)
        .map(
            s -> {
              Duration d;
              try {
                d = Duration.parse(s);
              } catch (DateTimeParseException e) {
                throw error(key, "'" + s + "' is not an ISO-8601 duration such as P1D or PT6H");
              }
              if (d.isNegative() || d.isZero()) {
                throw error(key, "must be positive, not " + s);
              }
              return d;
            });
  }

  /** An ISO-8601 instant such as {@code 1981-01-01T00:00:00Z} (a bare date means midnight UTC). */
  public Optional<Instant> instant(String key) {
    return string(key)
        .map(
            s -> {
              try {
                return s.length() == 10 ? Instant.parse(s + "T00:00:00Z") : Instant.parse(s);
              } catch (DateTimeParseException e) {
                throw error(
                    key, "'" + s + "' is not an ISO-8601 instant such as 1981-01-01T00:00:00Z");
              }
            });
  }

  /** A list of text values (a single value counts as a one-element list). */
  public Optional<List<String>> stringList(String key) {
    Optional<Object> v = raw(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    if (v.get() instanceof List<?> l) {
      for (Object o : l) {
        if (o == null || o instanceof Map || o instanceof List) {
          throw error(key, "must be a list of names, found " + describe(o));
        }
        out.add(o.toString());
      }
    } else if (v.get() instanceof Map) {
      throw error(key, "must be a list of names, not a mapping");
    } else {
      out.add(v.get().toString());
    }
    return Optional.of(out);
  }

  /** A nested mapping; its unknown keys are rejected by this section's {@link #finish()}. */
  public Optional<ConfigSection> section(String key) {
    Optional<Object> v = raw(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!(v.get() instanceof Map<?, ?> m)) {
      throw error(key, "must be a mapping (key: value lines), not " + describe(v.get()));
    }
    ConfigSection child = new ConfigSection(file, path(key), asStringMap(key, m));
    children.add(child);
    return Optional.of(child);
  }

  /** A list of nested mappings (e.g. rank rules). */
  public Optional<List<ConfigSection>> sections(String key) {
    Optional<Object> v = raw(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (!(v.get() instanceof List<?> l)) {
      throw error(key, "must be a list of mappings, not " + describe(v.get()));
    }
    List<ConfigSection> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof Map<?, ?> m)) {
        throw error(key, "item " + (i + 1) + " must be a mapping, not " + describe(l.get(i)));
      }
      ConfigSection child = new ConfigSection(file, path(key) + "[" + i + "]", asStringMap(key, m));
      children.add(child);
      out.add(child);
    }
    return Optional.of(out);
  }

  /** The keys present in this mapping, in document order. */
  public Set<String> keys() {
    return new LinkedHashSet<>(values.keySet());
  }

  /** The values of keys not marked known (for handing them to a layout). */
  public Map<String, Object> unknownValues() {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (!known.contains(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /**
   * Rejects every key no getter asked for, here and in nested sections handed out.
   *
   * @throws InvalidConfigException "unknown key 'x'; did you mean 'y'?" listing the known keys
   */
  public void finish() {
    for (String k : values.keySet()) {
      if (!known.contains(k)) {
        throw error(
            k,
            "unknown key"
                + DidYouMean.suffix(k, known)
                + " (known keys here: "
                + String.join(", ", known)
                + ")");
      }
    }
    for (ConfigSection c : children) {
      c.finish();
    }
  }

  private Map<String, Object> asStringMap(String key, Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getKey() == null) {
        throw error(key, "has an empty key");
      }
      out.put(e.getKey().toString(), e.getValue());
    }
    return out;
  }

  static String describe(Object o) {
    if (o == null) {
      return "nothing";
    }
    if (o instanceof Map) {
      return "a mapping";
    }
    if (o instanceof List) {
      return "a list";
    }
    return "'" + o + "'";
  }
}
