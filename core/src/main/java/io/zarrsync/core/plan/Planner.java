package io.zarrsync.core.plan;

import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.DimKind;
import io.zarrsync.core.layout.DimSpec;
import io.zarrsync.core.layout.FileRecords;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.RowPolicy;
import io.zarrsync.core.layout.SourceRecord;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.core.manifest.FileState;
import io.zarrsync.core.manifest.IdentityState;
import io.zarrsync.core.manifest.Manifest;
import io.zarrsync.core.manifest.QuarantineState;
import io.zarrsync.core.manifest.Version;
import io.zarrsync.core.source.Fingerprint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns the current state of some source keys into a {@link Plan}: which files are read, removed or
 * quarantined, which version every touched identity shows, and which rows change. Reads only
 * identities, ranks, extents and static arrays; the data is read when the plan is executed.
 */
public final class Planner {
  private final Layout layout;
  private final OpenFiles files;
  private final Function<ArraySpec, NdArray> storeStatics;

  /**
   * @param storeStatics the values of a static array as the store holds them (for an existing
   *     store)
   */
  public Planner(Layout layout, OpenFiles files, Function<ArraySpec, NdArray> storeStatics) {
    this.layout = layout;
    this.files = files;
    this.storeStatics = storeStatics;
  }

  /** What one file contributed, once read and validated. */
  private record ReadFile(
      Fingerprint fingerprint,
      List<SourceRecord> records,
      List<String> identities,
      List<String> missing,
      Map<String, Long> extents) {}

  /**
   * Plans one transaction.
   *
   * @param base the manifest to start from
   * @param current each key's current fingerprint, empty if the key is gone from the source
   * @param force keys to read even if their fingerprint is unchanged (retry)
   * @param forcedQuarantine keys to quarantine with the given reason without reading them
   * @param now the time recorded for new quarantine entries
   */
  public Plan plan(
      Manifest base,
      Map<String, Optional<Fingerprint>> current,
      Set<String> force,
      Map<String, String> forcedQuarantine,
      Instant now,
      ProgressListener progress) {
    Manifest after = base.copy();
    StoreSchema schema = base.schema();
    boolean create = schema == null;
    List<String> toRead = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    int unchanged = 0;
    for (String key : new TreeSet<>(current.keySet())) {
      Optional<Fingerprint> fp = current.get(key);
      FileState applied = base.files().get(key);
      QuarantineState q = base.quarantine().get(key);
      if (fp.isEmpty()) {
        if (applied != null) {
          removed.add(key);
        } else if (q != null) {
          dropped.add(key);
        }
      } else if (!force.contains(key)
          && ((applied != null && applied.fingerprint().equals(fp.get()))
              || (q != null && q.fingerprint().equals(fp.get())))) {
        unchanged++;
      } else {
        toRead.add(key);
      }
    }
    Set<String> touched = new TreeSet<>();
    for (String key : concat(removed, toRead, dropped)) {
      detach(after, key, touched);
    }
    progress.begin("read", toRead.size());
    Map<String, String> schemaFailures = new LinkedHashMap<>();
    Map<String, NdArray> statics = new LinkedHashMap<>();
    if (create) {
      for (String key : toRead) {
        if (forcedQuarantine.containsKey(key)) {
          continue;
        }
        try (OpenFiles.Handle h = files.acquire(key, current.get(key).orElseThrow())) {
          synchronized (h.lock()) {
            schema = layout.schema(key, h.file());
            FileRecords fr = h.records(schema);
            for (ArraySpec a : schema.arrays(ArrayRole.STATIC)) {
              statics.put(
                  a.name(),
                  fr.readStatic(a.name(), new long[a.dims().size()], ints(schema.shape(a))));
            }
          }
          break;
        } catch (InvalidSourceFileException e) {
          schemaFailures.put(key, e.reason());
          schema = null;
          statics.clear();
        }
      }
    }
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> quarantined = new ArrayList<>();
    Map<String, Fingerprint> fingerprints = new LinkedHashMap<>();
    Set<String> readOk = new HashSet<>();
    long bytes = 0;
    for (String key : toRead) {
      Fingerprint fp = current.get(key).orElseThrow();
      String reason = forcedQuarantine.get(key);
      ReadFile read = null;
      if (reason == null && schema == null) {
        reason = schemaFailures.getOrDefault(key, "no store schema");
      }
      if (reason == null) {
        try {
          ReadFile r = read(key, fp, schema, statics, after);
          schema = grow(schema, r);
          read = r;
        } catch (InvalidSourceFileException e) {
          reason = e.reason();
          files.forget(key);
        }
      }
      if (read != null) {
        attach(after, key, read, touched);
        (base.files().containsKey(key) ? changed : added).add(key);
        fingerprints.put(key, fp);
        readOk.add(key);
        bytes += fp.size();
      } else {
        QuarantineState old = base.quarantine().get(key);
        boolean same = old != null && old.fingerprint().equals(fp) && old.reason().equals(reason);
        after.putQuarantine(
            key, same ? old : new QuarantineState(fp, reason, now.toString(), base.seq() + 1));
        quarantined.add(key);
      }
      progress.advance(1);
    }
    TreeMap<Long, Plan.RowSource> rows = new TreeMap<>();
    if (schema != null) {
      for (String id : touched) {
        IdentityState st = after.identity(id);
        if (st == null) {
          continue;
        }
        Version best = st.best();
        boolean rewrite =
            !Objects.equals(best, st.shown()) || (best != null && readOk.contains(best.key()));
        if (rewrite) {
          rows.put(
              st.row(),
              best == null ? Plan.RowSource.BLANK : new Plan.RowSource(best.key(), best.index()));
        }
        if (best == null && schema.rows() == RowPolicy.COMPUTED) {
          after.putIdentity(id, null);
        } else {
          after.putIdentity(id, new IdentityState(st.row(), st.versions(), best));
        }
      }
      long length = schema.rows() == RowPolicy.COMPUTED ? after.maxShownRow() + 1 : after.nextRow();
      schema = schema.withDimSize(schema.recordDim(), length);
      after.setSchema(schema);
    }
    if (schema == null) {
      create = false;
    }
    String reference = null;
    if (schema != null) {
      long minRow = after.minShownRow();
      String ref = minRow < 0 ? null : after.identity(after.rows().get(minRow)).shown().key();
      if (ref != null && (create || !ref.equals(base.referenceKey()) || readOk.contains(ref))) {
        reference = ref;
      }
      if (ref != null) {
        after.setReferenceKey(ref);
      }
    }
    if (create && rows.isEmpty()) {
      // nothing applied (every file quarantined): do not create an empty group
      create = false;
      after.setSchema(null);
      reference = null;
      statics.clear();
    }
    return new Plan(
        base,
        after,
        create,
        after.schema(),
        rows,
        fingerprints,
        statics,
        reference,
        added,
        changed,
        removed,
        quarantined,
        unchanged,
        bytes);
  }

  private ReadFile read(
      String key,
      Fingerprint fp,
      StoreSchema schema,
      Map<String, NdArray> statics,
      Manifest after) {
    try (OpenFiles.Handle h = files.acquire(key, fp)) {
      synchronized (h.lock()) {
        FileRecords fr = h.records(schema);
        checkExtents(key, schema, fr.extents());
        for (ArraySpec a : schema.arrays(ArrayRole.STATIC)) {
          NdArray store = statics.computeIfAbsent(a.name(), n -> storeStatics.apply(a));
          NdArray mine = fr.readStatic(a.name(), new long[a.dims().size()], ints(schema.shape(a)));
          if (!mine.contentEquals(store)) {
            throw new InvalidSourceFileException(
                key, "grid differs from the store's: the values of '" + a.name() + "' differ");
          }
        }
        List<SourceRecord> records = fr.records();
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SourceRecord r : records) {
          String id = r.identity();
          if (id == null || id.isBlank()) {
            throw new IllegalStateException(
                layout.getClass().getName() + " gave a blank identity for " + key);
          }
          if (!seen.add(id)) {
            throw new InvalidSourceFileException(key, "holds two records with identity " + id);
          }
          if (schema.rows() == RowPolicy.COMPUTED) {
            long row =
                r.row()
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                layout.getClass().getName()
                                    + " gave no row for "
                                    + id
                                    + " of "
                                    + key));
            String owner = after.rows().get(row);
            if (owner != null && !owner.equals(id)) {
              throw new InvalidSourceFileException(
                  key, "record " + id + " maps to row " + row + ", which belongs to " + owner);
            }
          }
          ids.add(id);
        }
        return new ReadFile(
            fp,
            records,
            ids,
            new ArrayList<>(new TreeSet<>(fr.missingArrays())),
            Map.copyOf(fr.extents()));
      }
    }
  }

  private static void checkExtents(String key, StoreSchema schema, Map<String, Long> extents) {
    for (Map.Entry<String, Long> e : extents.entrySet()) {
      DimSpec d;
      try {
        d = schema.dim(e.getKey());
      } catch (IllegalArgumentException x) {
        continue;
      }
      long n = e.getValue();
      if (d.kind() == DimKind.FIXED && n != d.size()) {
        throw new InvalidSourceFileException(
            key,
            "grid differs from the store's: "
                + d.name()
                + " has "
                + n
                + " points, the store has "
                + d.size());
      }
      if (d.kind() == DimKind.GROWABLE && d.max() > 0 && n > d.max()) {
        throw new InvalidSourceFileException(
            key, d.name() + " = " + n + " exceeds the configured maximum " + d.max());
      }
    }
  }

  /** Grows growable dims to the file's extents (checked against their maximum already). */
  private static StoreSchema grow(StoreSchema schema, ReadFile r) {
    StoreSchema out = schema;
    for (Map.Entry<String, Long> e : r.extents().entrySet()) {
      Optional<DimSpec> d =
          out.dims().stream().filter(x -> x.name().equals(e.getKey())).findFirst();
      if (d.isPresent() && d.get().kind() == DimKind.GROWABLE && e.getValue() > d.get().size()) {
        out = out.withDimSize(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private static void detach(Manifest m, String key, Set<String> touched) {
    FileState f = m.files().get(key);
    if (f != null) {
      for (String id : f.identities()) {
        IdentityState st = m.identity(id);
        if (st != null) {
          List<Version> vs = new ArrayList<>();
          for (Version v : st.versions()) {
            if (!v.key().equals(key)) {
              vs.add(v);
            }
          }
          m.putIdentity(id, new IdentityState(st.row(), vs, st.shown()));
          touched.add(id);
        }
      }
      m.putFile(key, null);
    }
    m.putQuarantine(key, null);
  }

  private static void attach(Manifest m, String key, ReadFile r, Set<String> touched) {
    for (int i = 0; i < r.records().size(); i++) {
      SourceRecord rec = r.records().get(i);
      String id = r.identities().get(i);
      IdentityState st = m.identity(id);
      List<Version> vs = new ArrayList<>(st == null ? List.of() : st.versions());
      vs.add(new Version(key, i, rec.rank()));
      long row;
      if (st != null) {
        row = st.row();
      } else if (rec.row().isPresent()) {
        row = rec.row().getAsLong();
      } else {
        row = m.nextRow();
        m.setNextRow(row + 1);
      }
      m.putIdentity(id, new IdentityState(row, vs, st == null ? null : st.shown()));
      touched.add(id);
    }
    m.putFile(key, new FileState(r.fingerprint(), r.identities(), r.missing()));
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    out.addAll(c);
    return out;
  }

  static int[] ints(long[] shape) {
    int[] out = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = Math.toIntExact(shape[i]);
    }
    return out;
  }
}
