package io.zarrsync.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zarrsync.api.DataType;
import io.zarrsync.api.StoreException;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.DimKind;
import io.zarrsync.core.layout.DimSpec;
import io.zarrsync.core.layout.RowPolicy;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.core.source.Fingerprint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifest's JSON forms: a checkpoint (the whole manifest) and a delta (one commit's header and
 * changed entries, applied to the manifest of the commit before it).
 */
public final class ManifestCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestCodec() {}

  public static byte[] encode(Manifest m) {
    ObjectNode root = header(m);
    ObjectNode ids = root.putObject("identities");
    m.identities().forEach((id, s) -> ids.set(id, identity(s)));
    ObjectNode files = root.putObject("files");
    m.files().forEach((k, f) -> files.set(k, file(f)));
    ObjectNode q = root.putObject("quarantine");
    m.quarantine().forEach((k, s) -> q.set(k, quarantine(s)));
    return write(root);
  }

  /**
   * The delta of one commit: the header of {@code m} (the schema only if it differs from {@code
   * base}'s) and only the entries changed since {@code m} was copied from {@code base} ({@link
   * Manifest#changedIdentities()} etc.), a removed entry as {@code null}. Applied to the manifest
   * of the commit before by {@link #applyDelta}.
   */
  public static byte[] encodeDelta(Manifest base, Manifest m) {
    ObjectNode root = header(m);
    root.put("delta", true);
    if (java.util.Objects.equals(base.schema(), m.schema())) {
      root.remove("schema"); // unchanged: most commits leave the schema alone
    }
    ObjectNode ids = root.putObject("identities");
    for (String id : new java.util.TreeSet<>(m.changedIdentities())) {
      IdentityState s = m.identity(id);
      ids.set(id, s == null ? JSON.nullNode() : identity(s));
    }
    ObjectNode files = root.putObject("files");
    for (String k : new java.util.TreeSet<>(m.changedFiles())) {
      FileState f = m.files().get(k);
      files.set(k, f == null ? JSON.nullNode() : file(f));
    }
    ObjectNode q = root.putObject("quarantine");
    for (String k : new java.util.TreeSet<>(m.changedQuarantine())) {
      QuarantineState s = m.quarantine().get(k);
      q.set(k, s == null ? JSON.nullNode() : quarantine(s));
    }
    return write(root);
  }

  /**
   * True if {@code after}, a {@link Manifest#copy()} of {@code before} changed since, stores the
   * same content: same header, and every entry it changed encodes as before. Costs the number of
   * changed entries, not the size of the manifest.
   */
  public static boolean sameContent(Manifest before, Manifest after) {
    if (!header(before).equals(header(after))) {
      return false;
    }
    for (String id : after.changedIdentities()) {
      if (!same(before.identity(id), after.identity(id), ManifestCodec::identity)) {
        return false;
      }
    }
    for (String k : after.changedFiles()) {
      if (!same(before.files().get(k), after.files().get(k), ManifestCodec::file)) {
        return false;
      }
    }
    for (String k : after.changedQuarantine()) {
      if (!same(before.quarantine().get(k), after.quarantine().get(k), ManifestCodec::quarantine)) {
        return false;
      }
    }
    return true;
  }

  private static <T> boolean same(T a, T b, java.util.function.Function<T, ObjectNode> json) {
    if (a == null || b == null) {
      return a == b;
    }
    return a == b || json.apply(a).equals(json.apply(b));
  }

  private static ObjectNode header(Manifest m) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", Manifest.FORMAT);
    root.put("seq", m.seq());
    root.put("time", m.time());
    root.put("collection", m.collection());
    root.put("layout", m.layout());
    root.put("referenceKey", m.referenceKey());
    root.put("nextRow", m.nextRow());
    root.set("schema", m.schema() == null ? null : schema(m.schema()));
    return root;
  }

  private static ObjectNode identity(IdentityState s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("row", s.row());
    int shown = s.shown() == null ? -1 : s.versions().indexOf(s.shown());
    if (shown >= 0) {
      n.put("shown", shown); // most identities show one of their versions: its index
    } else {
      n.set("shown", s.shown() == null ? null : version(s.shown()));
    }
    ArrayNode vs = n.putArray("versions");
    s.versions().forEach(v -> vs.add(version(v)));
    return n;
  }

  private static ObjectNode file(FileState f) {
    ObjectNode n = JSON.createObjectNode();
    n.set("fingerprint", fingerprint(f.fingerprint()));
    ArrayNode a = n.putArray("identities");
    f.identities().forEach(a::add);
    ArrayNode b = n.putArray("missing");
    f.missing().forEach(b::add);
    return n;
  }

  private static ObjectNode quarantine(QuarantineState s) {
    ObjectNode n = JSON.createObjectNode();
    n.set("fingerprint", fingerprint(s.fingerprint()));
    n.put("reason", s.reason());
    n.put("since", s.since());
    n.put("seq", s.seq());
    return n;
  }

  private static byte[] write(ObjectNode root) {
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the manifest", e);
    }
  }

  /**
   * Parses a manifest document (a checkpoint).
   *
   * @throws StoreException if it is damaged, of an unknown format, or a delta
   */
  public static Manifest decode(byte[] bytes, String where) {
    ManifestParser.Document d = parse(bytes, where);
    if (d.delta) {
      throw new StoreException(where + ": expected a manifest checkpoint, found a delta");
    }
    Manifest m = new Manifest();
    apply(m, d, where);
    m.setJournal(new Manifest.Journal(bytes.length, 0, 0));
    m.clearChanges();
    return m;
  }

  /**
   * Applies the delta of commit {@code m.seq() + 1} to {@code m}.
   *
   * @throws StoreException if it is damaged, not a delta, or not the delta of that commit
   */
  public static void applyDelta(Manifest m, byte[] bytes, String where) {
    ManifestParser.Document d = parse(bytes, where);
    if (!d.delta) {
      throw new StoreException(where + ": expected a manifest delta, found a checkpoint");
    }
    if (d.seq != m.seq() + 1) {
      throw new StoreException(
          where + ": manifest delta of commit " + d.seq + " cannot follow commit " + m.seq());
    }
    apply(m, d, where);
    m.setJournal(m.journal().plusDelta(bytes.length));
    m.clearChanges();
  }

  private static ManifestParser.Document parse(byte[] bytes, String where) {
    ManifestParser.Document d;
    try {
      d = ManifestParser.parse(bytes);
    } catch (IOException | RuntimeException e) {
      throw new StoreException(where + ": the manifest is damaged: " + e.getMessage(), e);
    }
    if (d.format < Manifest.OLDEST_FORMAT || d.format > Manifest.FORMAT) {
      throw new StoreException(
          where
              + ": manifest format "
              + d.format
              + " is not supported (this version reads "
              + Manifest.OLDEST_FORMAT
              + " to "
              + Manifest.FORMAT
              + "); use a newer zarrsync");
    }
    return d;
  }

  /** Sets the header of {@code d} on {@code m} and puts (or with null removes) its entries. */
  private static void apply(Manifest m, ManifestParser.Document d, String where) {
    try {
      m.setCommit(d.seq, d.time);
      m.setReferenceKey(d.referenceKey);
      m.setOwner(d.collection, d.layout);
      m.setNextRow(d.nextRow);
      if (d.hasSchema) { // absent from a delta that keeps the schema
        m.setSchema(d.schema == null || d.schema.isNull() ? null : schema(d.schema));
      }
      d.identities.forEach(m::putIdentity);
      d.files.forEach(m::putFile);
      d.quarantine.forEach(m::putQuarantine);
    } catch (RuntimeException e) {
      throw new StoreException(where + ": the manifest is damaged: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- parts

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static ObjectNode version(Version v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("key", v.key());
    if (v.index() != 0) {
      n.put("index", v.index());
    }
    ArrayNode rank = n.putArray("rank");
    for (Object c : v.rank().components()) {
      if (c instanceof String str) {
        rank.add(str);
      } else if (c instanceof Long l) {
        rank.add(l);
      } else {
        rank.add(((Number) c).doubleValue());
      }
    }
    return n;
  }

  static ObjectNode fingerprint(Fingerprint f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("size", f.size());
    n.put("mtime", f.lastModifiedMillis());
    n.put("etag", f.etag());
    return n;
  }

  /** The schema as JSON (also used by commit records). */
  public static ObjectNode schema(StoreSchema s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("recordDim", s.recordDim());
    n.put("rows", s.rows().name());
    ArrayNode dims = n.putArray("dims");
    for (DimSpec d : s.dims()) {
      ObjectNode x = dims.addObject();
      x.put("name", d.name());
      x.put("size", d.size());
      x.put("kind", d.kind().name());
      x.put("chunk", d.chunk());
      x.put("max", d.max());
    }
    ArrayNode arrays = n.putArray("arrays");
    for (ArraySpec a : s.arrays()) {
      ObjectNode x = arrays.addObject();
      x.put("name", a.name());
      ArrayNode ad = x.putArray("dims");
      a.dims().forEach(ad::add);
      x.put("dataType", a.dataType().name());
      x.put("stringLength", a.stringLength());
      x.set("fill", fill(a.fillValue()));
      x.set("attributes", JSON.valueToTree(a.attributes()));
      x.put("role", a.role().name());
      if (a.chunks() != null) {
        ArrayNode ch = x.putArray("chunks");
        a.chunks().forEach(ch::add);
      }
    }
    n.set("attributes", JSON.valueToTree(s.attributes()));
    return n;
  }

  /** Parses {@link #schema(StoreSchema)}. */
  public static StoreSchema schema(JsonNode n) {
    List<DimSpec> dims = new ArrayList<>();
    for (JsonNode x : n.path("dims")) {
      dims.add(
          new DimSpec(
              x.path("name").asText(),
              x.path("size").asLong(),
              DimKind.valueOf(x.path("kind").asText()),
              x.path("chunk").asInt(),
              x.path("max").asLong()));
    }
    List<ArraySpec> arrays = new ArrayList<>();
    for (JsonNode x : n.path("arrays")) {
      DataType type = DataType.valueOf(x.path("dataType").asText());
      arrays.add(
          new ArraySpec(
              x.path("name").asText(),
              strings(x.path("dims")),
              type,
              x.path("stringLength").asInt(),
              fill(type, x.get("fill")),
              map(x.path("attributes")),
              ArrayRole.valueOf(x.path("role").asText()),
              x.has("chunks") ? ints(x.path("chunks")) : null));
    }
    return new StoreSchema(
        n.path("recordDim").asText(),
        RowPolicy.valueOf(n.path("rows").asText()),
        dims,
        arrays,
        map(n.path("attributes")));
  }

  private static List<Integer> ints(JsonNode n) {
    List<Integer> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asInt()));
    return out;
  }

  private static Map<String, Object> map(JsonNode n) {
    Map<String, Object> m = JSON.convertValue(n, new TypeReference<Map<String, Object>>() {});
    return m == null ? Map.of() : m;
  }

  private static JsonNode fill(Object fill) {
    if (fill == null) {
      return JSON.nullNode();
    }
    if (fill instanceof Double d && !Double.isFinite(d)) {
      return JSON.getNodeFactory().textNode(d.toString());
    }
    if (fill instanceof Float f && !Float.isFinite(f)) {
      return JSON.getNodeFactory().textNode(Double.toString(f));
    }
    return JSON.valueToTree(fill);
  }

  private static Object fill(DataType type, JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (type == DataType.CHAR || type == DataType.STRING) {
      return n.asText();
    }
    if (type.isFloatingPoint()) {
      return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }
    return n.isBigInteger() ? n.bigIntegerValue() : n.asLong();
  }
}
