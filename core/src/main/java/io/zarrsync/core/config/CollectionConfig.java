package io.zarrsync.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.layout.Layouts;
import io.zarrsync.zarr.Codec;
import io.zarrsync.zarr.ZarrFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One collection: which source keys belong to it, where its store is, and how files map onto it.
 * Load it with {@link #load(Path)}; every key is validated there (docs/collections.md lists them).
 *
 * @param file the YAML file it was read from (relative locations resolve against its directory), or
 *     null
 * @param name collection name
 * @param match regex a source key must match entirely to belong to this collection
 * @param source source location (a directory or a URL such as {@code s3://bucket/prefix}), or null
 *     when the caller supplies it
 * @param store store location (a directory or a URL), or null when the caller supplies it
 * @param format Zarr format of the store
 * @param layout layout name ({@code grid}, {@code profiles} or a plug-in's)
 * @param chunks chunk length per dimension name (dims not listed: the layout's default)
 * @param variables the stored variables, in order
 * @param compressor chunk compressor
 * @param unknownVariables what to do with files carrying unlisted record variables
 * @param layoutSettings the keys the layout reads (everything not listed above)
 */
public record CollectionConfig(
    Path file,
    String name,
    Pattern match,
    String source,
    String store,
    ZarrFormat format,
    String layout,
    Map<String, Integer> chunks,
    List<VariableConfig> variables,
    Codec compressor,
    UnknownVariables unknownVariables,
    Map<String, Object> layoutSettings) {

  /** The keys every collection understands; the layout owns all others. */
  public static final List<String> COMMON_KEYS =
      List.of(
          "name",
          "match",
          "source",
          "store",
          "format",
          "layout",
          "chunks",
          "variables",
          "compressor",
          "unknown-variables");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Map<String, DataType> DTYPES = dtypes();

  public CollectionConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(compressor, "compressor");
    Objects.requireNonNull(unknownVariables, "unknownVariables");
    chunks = Map.copyOf(chunks);
    variables = List.copyOf(variables);
    layoutSettings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layoutSettings));
  }

  /**
   * Reads and validates a collection file, including the layout's own keys.
   *
   * @throws InvalidConfigException naming the file, the key and the allowed values
   */
  public static CollectionConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InvalidConfigException(file + ": no such config file", e);
    } catch (IOException e) {
      throw new InvalidConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file);
  }

  /**
   * Parses YAML text; {@code file} (may be null) is used for messages and relative locations.
   *
   * @throws InvalidConfigException naming the file, the key and the allowed values
   */
  public static CollectionConfig parse(String yaml, Path file) {
    Map<String, Object> doc;
    try {
      doc = new ObjectMapper(new YAMLFactory()).readValue(yaml, new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          (file == null ? "<config>" : file.toString())
              + ": not valid YAML: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"),
          e);
    }
    if (doc == null) {
      throw new InvalidConfigException(
          (file == null ? "<config>" : file.toString()) + ": the config is empty");
    }
    ConfigSection root = new ConfigSection(file, "", doc);
    CollectionConfig config = parseCommon(root, file);
    // The layout validates its keys now, so a typo fails at load time rather than mid-sync.
    Layouts.provider(config.layout(), root, "layout").create(config, root);
    root.finish();
    return config;
  }

  private static CollectionConfig parseCommon(ConfigSection root, Path file) {
    String name = root.requireString("name");
    if (!NAME.matcher(name).matches()) {
      throw root.error(
          "name", "'" + name + "' must be letters, digits, '.', '_' or '-' (no spaces or '/')");
    }
    String regex = root.requireString("match");
    Pattern match;
    try {
      match = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw root.error(
          "match", "'" + regex + "' is not a valid regular expression: " + e.getDescription());
    }
    String source = root.string("source").orElse(null);
    String store = root.string("store").orElse(null);
    String format = root.choice("format", List.of("v2", "v3")).orElse("v2");
    if (format.equals("v3")) {
      throw root.error("format", "Zarr v3 is not supported yet; use v2");
    }
    String layout = root.requireString("layout");
    Map<String, Integer> chunks = new LinkedHashMap<>();
    root.section("chunks")
        .ifPresent(
            s -> {
              for (String dim : s.keys()) {
                long n = s.positiveLong(dim).orElseThrow(() -> s.error(dim, "is empty"));
                if (n > Integer.MAX_VALUE) {
                  throw s.error(dim, "chunk length " + n + " is too large");
                }
                chunks.put(dim, (int) n);
              }
            });
    List<VariableConfig> variables = parseVariables(root);
    Codec compressor = parseCompressor(root);
    UnknownVariables unknown =
        root.choice("unknown-variables", List.of("ignore", "reject"))
            .map(s -> UnknownVariables.valueOf(s.toUpperCase(Locale.ROOT)))
            .orElse(UnknownVariables.IGNORE);
    root.markKnown(COMMON_KEYS);
    Map<String, Object> layoutSettings = new LinkedHashMap<>(root.unknownValues());
    return new CollectionConfig(
        file,
        name,
        match,
        source,
        store,
        ZarrFormat.V2,
        layout,
        chunks,
        variables,
        compressor,
        unknown,
        layoutSettings);
  }

  private static List<VariableConfig> parseVariables(ConfigSection root) {
    Object raw = root.raw("variables").orElseThrow(() -> root.error("variables", "is required"));
    List<VariableConfig> out = new ArrayList<>();
    if (raw instanceof List) {
      for (String v : root.stringList("variables").orElseThrow()) {
        out.add(VariableConfig.of(v));
      }
    } else if (raw instanceof Map) {
      ConfigSection vars = root.section("variables").orElseThrow();
      for (String v : vars.keys()) {
        if (!vars.has(v)) {
          out.add(VariableConfig.of(v));
          continue;
        }
        ConfigSection s =
            vars.section(v)
                .orElseThrow(() -> vars.error(v, "must be empty or a mapping with dtype/fill"));
        DataType dtype = s.choice("dtype", DTYPES.keySet()).map(DTYPES::get).orElse(null);
        Object fill = s.raw("fill").map(CollectionConfig::fillValue).orElse(null);
        out.add(new VariableConfig(v, dtype, fill));
      }
    } else {
      throw root.error("variables", "must be a list of names or a mapping name: {dtype, fill}");
    }
    if (out.isEmpty()) {
      throw root.error("variables", "must list at least one variable");
    }
    if (out.stream().map(VariableConfig::name).distinct().count() != out.size()) {
      throw root.error("variables", "lists a variable twice");
    }
    return out;
  }

  private static Object fillValue(Object f) {
    if (f instanceof Number n) {
      return n;
    }
    String t = f.toString().trim();
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "nan", ".nan" -> Double.NaN;
      case "inf", "infinity", ".inf" -> Double.POSITIVE_INFINITY;
      case "-inf", "-infinity", "-.inf" -> Double.NEGATIVE_INFINITY;
      default -> t;
    };
  }

  private static Codec parseCompressor(ConfigSection root) {
    Optional<ConfigSection> section = root.section("compressor");
    if (section.isEmpty()) {
      return Codec.zstd(3);
    }
    ConfigSection s = section.get();
    String id = s.choice("id", List.of("zstd", "zlib", "none")).orElse("zstd");
    Optional<Long> level = s.positiveLong("level");
    if (id.equals("none")) {
      if (level.isPresent()) {
        throw s.error("level", "makes no sense with id: none");
      }
      return Codec.none();
    }
    int max = id.equals("zstd") ? 22 : 9;
    long lv = level.orElse(id.equals("zstd") ? 3L : 5L);
    if (lv > max) {
      throw s.error("level", lv + " is out of range: " + id + " levels are 1 to " + max);
    }
    return id.equals("zstd") ? Codec.zstd((int) lv) : Codec.zlib((int) lv);
  }

  private static Map<String, DataType> dtypes() {
    Map<String, DataType> m = new LinkedHashMap<>();
    m.put("int8", DataType.BYTE);
    m.put("uint8", DataType.UBYTE);
    m.put("int16", DataType.SHORT);
    m.put("uint16", DataType.USHORT);
    m.put("int32", DataType.INT);
    m.put("uint32", DataType.UINT);
    m.put("int64", DataType.LONG);
    m.put("uint64", DataType.ULONG);
    m.put("float32", DataType.FLOAT);
    m.put("float64", DataType.DOUBLE);
    return m;
  }

  /** A fresh section over the layout's keys, for {@link io.zarrsync.core.layout.Layouts}. */
  public ConfigSection layoutSection() {
    return new ConfigSection(file, "", layoutSettings);
  }

  /** The variable called {@code name}, if configured. */
  public Optional<VariableConfig> variable(String name) {
    return variables.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /** True if {@code key} belongs to this collection (the regex matches the whole key). */
  public boolean matches(String key) {
    return match.matcher(key).matches();
  }

  /**
   * Resolves a local location (source or store) against the config file's directory; null stays
   * null, URLs ({@code scheme://...}) are not local and yield empty.
   */
  public Optional<Path> localPath(String location) {
    if (location == null || location.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return Optional.empty();
    }
    Path p = Path.of(location);
    if (!p.isAbsolute() && file != null && file.toAbsolutePath().getParent() != null) {
      p = file.toAbsolutePath().getParent().resolve(p);
    }
    return Optional.of(p.normalize());
  }
}
