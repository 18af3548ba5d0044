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
import io.zarrsync.core.layout.Rank;
import io.zarrsync.core.layout.RowPolicy;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.core.source.Fingerprint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The manifest's JSON form (one document, written by every commit). */
public final class ManifestCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestCodec() {}

  public static byte[] encode(Manifest m) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", Manifest.FORMAT);
    root.put("seq", m.seq());
    root.put("time", m.time());
    root.put("collection", m.collection());
    root.put("layout", m.layout());
    root.put("referenceKey", m.referenceKey());
    root.put("nextRow", m.nextRow());
    root.set("schema", m.schema() == null ? null : schema(m.schema()));
    ObjectNode ids = root.putObject("identities");
    m.identities()
        .forEach(
            (id, s) -> {
              ObjectNode n = ids.putObject(id);
              n.put("row", s.row());
              n.set("shown", s.shown() == null ? null : version(s.shown()));
              ArrayNode vs = n.putArray("versions");
              s.versions().forEach(v -> vs.add(version(v)));
            });
    ObjectNode files = root.putObject("files");
    m.files()
        .forEach(
            (k, f) -> {
              ObjectNode n = files.putObject(k);
              n.set("fingerprint", fingerprint(f.fingerprint()));
              ArrayNode a = n.putArray("identities");
              f.identities().forEach(a::add);
              ArrayNode b = n.putArray("missing");
              f.missing().forEach(b::add);
            });
    ObjectNode q = root.putObject("quarantine");
    m.quarantine()
        .forEach(
            (k, s) -> {
              ObjectNode n = q.putObject(k);
              n.set("fingerprint", fingerprint(s.fingerprint()));
              n.put("reason", s.reason());
              n.put("since", s.since());
              n.put("seq", s.seq());
            });
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the manifest", e);
    }
  }

  /**
   * Parses a manifest document.
   *
   * @throws StoreException if it is damaged or of an unknown format
   */
  public static Manifest decode(byte[] bytes, String where) {
    try {
      JsonNode root = JSON.readTree(bytes);
      int format = root.path("format").asInt(-1);
      if (format != Manifest.FORMAT) {
        throw new StoreException(
            where
                + ": manifest format "
                + format
                + " is not supported (expected "
                + Manifest.FORMAT
                + ")");
      }
      Manifest m = new Manifest();
      m.setCommit(root.path("seq").asLong(), text(root.get("time")));
      m.setReferenceKey(text(root.get("referenceKey")));
      m.setOwner(text(root.get("collection")), text(root.get("layout")));
      m.setNextRow(root.path("nextRow").asLong());
      JsonNode schema = root.get("schema");
      if (schema != null && !schema.isNull()) {
        m.setSchema(schema(schema));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("identities").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode n = e.getValue();
        List<Version> versions = new ArrayList<>();
        n.path("versions").forEach(v -> versions.add(version(v)));
        JsonNode shown = n.get("shown");
        m.putIdentity(
            e.getKey(),
            new IdentityState(
                n.path("row").asLong(),
                versions,
                shown == null || shown.isNull() ? null : version(shown)));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode n = e.getValue();
        m.putFile(
            e.getKey(),
            new FileState(
                fingerprint(n.path("fingerprint")),
                strings(n.path("identities")),
                strings(n.path("missing"))));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("quarantine").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode n = e.getValue();
        m.putQuarantine(
            e.getKey(),
            new QuarantineState(
                fingerprint(n.path("fingerprint")),
                n.path("reason").asText(),
                n.path("since").asText(),
                n.path("seq").asLong()));
      }
      return m;
    } catch (IOException | RuntimeException e) {
      if (e instanceof StoreException se) {
        throw se;
      }
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
    n.put("index", v.index());
    n.set("rank", JSON.valueToTree(v.rank().components()));
    return n;
  }

  private static Version version(JsonNode n) {
    List<Object> rank = JSON.convertValue(n.path("rank"), new TypeReference<List<Object>>() {});
    return new Version(n.path("key").asText(), n.path("index").asInt(), new Rank(rank));
  }

  static ObjectNode fingerprint(Fingerprint f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("size", f.size());
    n.put("mtime", f.lastModifiedMillis());
    n.put("etag", f.etag());
    return n;
  }

  static Fingerprint fingerprint(JsonNode n) {
    return new Fingerprint(
        n.path("size").asLong(), n.path("mtime").asLong(), n.path("etag").asText(""));
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
