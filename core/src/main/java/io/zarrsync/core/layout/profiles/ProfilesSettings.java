package io.zarrsync.core.layout.profiles;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.config.ConfigSection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code profiles} layout's own config keys (docs/profiles.md lists them with their errors).
 *
 * @param recordDim the NetCDF dimension that counts profiles ({@code record-dim}, default {@code
 *     N_PROF}); it becomes the store's record dimension
 * @param grow dimensions that grow to the longest profile seen, with their maximum length (0: no
 *     limit); {@code grow}, default {@code N_LEVELS} without limit
 * @param identity the per-profile fields whose values, with the profile's position in its file,
 *     name a profile ({@code identity}, required)
 * @param rank the rules that order versions of one profile, compared in turn ({@code rank})
 * @param attributes the store's global attributes ({@code attributes})
 * @param keyArray name of the optional array holding each row's source key ({@code provenance.key})
 * @param positionArray name of the optional array holding each row's position in its source file
 *     ({@code provenance.position})
 */
record ProfilesSettings(
    String recordDim,
    Map<String, Long> grow,
    List<String> identity,
    List<RankRule> rank,
    Map<String, Object> attributes,
    Optional<String> keyArray,
    Optional<String> positionArray) {

  /** The dimension grown when {@code grow} is not given. */
  static final String DEFAULT_GROW = "N_LEVELS";

  /** The record dimension when {@code record-dim} is not given. */
  static final String DEFAULT_RECORD_DIM = "N_PROF";

  ProfilesSettings {
    Objects.requireNonNull(recordDim, "recordDim");
    grow = Collections.unmodifiableMap(new LinkedHashMap<>(grow));
    identity = List.copyOf(identity);
    rank = List.copyOf(rank);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    Objects.requireNonNull(keyArray, "keyArray");
    Objects.requireNonNull(positionArray, "positionArray");
  }

  /**
   * Reads the layout's keys from {@code section}.
   *
   * @throws io.zarrsync.api.InvalidConfigException naming the file, the key and what is allowed
   */
  static ProfilesSettings parse(CollectionConfig config, ConfigSection section) {
    String recordDim = section.string("record-dim").orElse(DEFAULT_RECORD_DIM);
    Map<String, Long> grow = parseGrow(section, recordDim);
    List<String> identity = parseIdentity(section);
    List<RankRule> rank = parseRank(section);
    Map<String, Object> attributes = parseAttributes(section);
    Optional<String> keyArray = Optional.empty();
    Optional<String> positionArray = Optional.empty();
    Optional<ConfigSection> provenance = section.section("provenance");
    if (provenance.isPresent()) {
      ConfigSection p = provenance.get();
      keyArray = p.string("key");
      positionArray = p.string("position");
      if (keyArray.isEmpty() && positionArray.isEmpty()) {
        throw section.error("provenance", "names no array; give key, position or both");
      }
      if (keyArray.isPresent() && keyArray.equals(positionArray)) {
        throw p.error("position", "'" + keyArray.get() + "' is already the key array's name");
      }
      for (String key : List.of("key", "position")) {
        Optional<String> name = key.equals("key") ? keyArray : positionArray;
        if (name.isPresent() && config.variable(name.get()).isPresent()) {
          throw p.error(
              key,
              "'"
                  + name.get()
                  + "' is also listed under variables; pick a name no stored variable has");
        }
      }
    }
    return new ProfilesSettings(
        recordDim, grow, identity, rank, attributes, keyArray, positionArray);
  }

  private static Map<String, Long> parseGrow(ConfigSection section, String recordDim) {
    Map<String, Long> grow = new LinkedHashMap<>();
    Optional<Object> raw = section.raw("grow");
    if (raw.isEmpty()) {
      grow.put(DEFAULT_GROW, 0L);
      return grow;
    }
    if (raw.get() instanceof List) {
      for (String dim : section.stringList("grow").orElseThrow()) {
        grow.put(dim.trim(), 0L);
      }
    } else if (raw.get() instanceof Map) {
      ConfigSection g = section.section("grow").orElseThrow();
      for (String dim : g.keys()) {
        long max = 0;
        if (g.has(dim)) {
          ConfigSection d =
              g.section(dim).orElseThrow(() -> g.error(dim, "must be empty or a mapping with max"));
          max = d.positiveLong("max").orElse(0L);
        }
        grow.put(dim, max);
      }
    } else {
      throw section.error(
          "grow", "must be a list of dimension names or a mapping name: {max: n}, not a value");
    }
    for (String dim : grow.keySet()) {
      if (dim.isEmpty()) {
        throw section.error("grow", "has an empty dimension name");
      }
      if (dim.equals(recordDim)) {
        throw section.error(
            "grow", recordDim + " is the record dimension; it grows with every new profile anyway");
      }
    }
    return grow;
  }

  private static List<String> parseIdentity(ConfigSection section) {
    List<String> identity =
        section
            .stringList("identity")
            .orElseThrow(
                () ->
                    section.error(
                        "identity",
                        "is required: list the per-profile variables that name a profile,"
                            + " e.g. [PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION]"));
    List<String> out = new ArrayList<>();
    for (String f : identity) {
      String name = f.trim();
      if (name.isEmpty()) {
        throw section.error("identity", "has an empty variable name");
      }
      if (out.contains(name)) {
        throw section.error("identity", "lists " + name + " twice");
      }
      out.add(name);
    }
    if (out.isEmpty()) {
      throw section.error("identity", "must list at least one variable");
    }
    return out;
  }

  private static List<RankRule> parseRank(ConfigSection section) {
    List<RankRule> rules = new ArrayList<>();
    Optional<List<ConfigSection>> items = section.sections("rank");
    if (items.isEmpty()) {
      return rules;
    }
    for (ConfigSection item : items.get()) {
      String field = item.requireString("field");
      List<String> bestFirst = new ArrayList<>();
      Optional<List<String>> values = item.stringList("best-first");
      if (values.isPresent()) {
        Set<String> seen = new HashSet<>();
        for (String v : values.get()) {
          String value = v.trim();
          if (value.isEmpty()) {
            throw item.error("best-first", "has a blank value; blank fields always rank last");
          }
          if (!seen.add(value)) {
            throw item.error("best-first", "lists " + value + " twice");
          }
          bestFirst.add(value);
        }
        if (bestFirst.isEmpty()) {
          throw item.error("best-first", "must list at least one value, best first");
        }
      }
      rules.add(new RankRule(field, bestFirst));
    }
    return rules;
  }

  private static Map<String, Object> parseAttributes(ConfigSection section) {
    Map<String, Object> out = new LinkedHashMap<>();
    Optional<ConfigSection> attrs = section.section("attributes");
    if (attrs.isEmpty()) {
      return out;
    }
    ConfigSection a = attrs.get();
    for (String name : a.keys()) {
      Object value = a.raw(name).orElse("");
      if (!isAttributeValue(value)) {
        throw a.error(name, "must be text, a number or a list of them, not a mapping");
      }
      out.put(name, value);
    }
    return out;
  }

  private static boolean isAttributeValue(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().allMatch(v -> v instanceof String || v instanceof Number);
    }
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }
}
