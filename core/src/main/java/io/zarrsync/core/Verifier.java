package io.zarrsync.core;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.FileRecords;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.SourceRecord;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.core.manifest.FileState;
import io.zarrsync.core.manifest.IdentityState;
import io.zarrsync.core.manifest.Manifest;
import io.zarrsync.core.plan.OpenFiles;
import io.zarrsync.core.source.Fingerprint;
import io.zarrsync.core.source.Source;
import io.zarrsync.core.source.SourceObject;
import io.zarrsync.zarr.ZarrArray;
import io.zarrsync.zarr.ZarrGroup;
import io.zarrsync.zarr.store.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Compares a store with its live source files, region by region. */
final class Verifier {
  private static final int COMPUTED_BLOCK = 100_000;

  private final Layout layout;
  private final OpenFiles files;
  private final Source source;
  private final Store store;
  private final Manifest manifest;
  private final List<VerifyReport.Drift> drifts = new ArrayList<>();

  Verifier(Layout layout, OpenFiles files, Source source, Store store, Manifest manifest) {
    this.layout = layout;
    this.files = files;
    this.source = source;
    this.store = store;
    this.manifest = manifest;
  }

  private record Shown(String identity, long row, int index) {}

  VerifyReport verify(ProgressListener progress) {
    StoreSchema s = manifest.schema();
    if (s == null) {
      return new VerifyReport(0, 0, List.of(), List.of());
    }
    ZarrGroup group = ZarrGroup.open(store);
    for (ArraySpec a : s.arrays()) {
      Optional<ZarrArray> array = group.array(a.name());
      if (array.isEmpty()) {
        drift("", -1, "", a.name(), "array is missing from the store");
        continue;
      }
      List<Long> expected = Arrays.stream(s.shape(a)).boxed().toList();
      if (!expected.equals(array.get().metadata().shape())) {
        drift(
            "",
            -1,
            "",
            a.name(),
            "shape " + array.get().metadata().shape() + ", expected " + expected);
      }
    }
    if (!drifts.isEmpty()) {
      return new VerifyReport(0, 0, drifts, List.of());
    }
    verifyComputed(s, group);
    Map<String, List<Shown>> byKey = new TreeMap<>();
    List<Long> blank = new ArrayList<>();
    for (Map.Entry<Long, String> e : manifest.rows().entrySet()) {
      IdentityState st = manifest.identity(e.getValue());
      if (e.getKey() >= s.record().size()) {
        continue;
      }
      if (st.shown() == null) {
        blank.add(e.getKey());
      } else {
        byKey
            .computeIfAbsent(st.shown().key(), k -> new ArrayList<>())
            .add(new Shown(e.getValue(), e.getKey(), st.shown().index()));
      }
    }
    progress.begin("verify", byKey.size());
    List<String> pending = new ArrayList<>();
    long records = 0;
    long checkedFiles = 0;
    for (Map.Entry<String, List<Shown>> e : byKey.entrySet()) {
      String key = e.getKey();
      FileState f = manifest.files().get(key);
      Optional<Fingerprint> now = source.stat(key).map(SourceObject::fingerprint);
      if (f == null || now.isEmpty() || !now.get().equals(f.fingerprint())) {
        pending.add(key);
        progress.advance(1);
        continue;
      }
      try (OpenFiles.Handle h = files.acquire(key, f.fingerprint())) {
        synchronized (h.lock()) {
          FileRecords fr = h.records(s);
          for (ArraySpec a : s.arrays(ArrayRole.STATIC)) {
            NdArray mine = fr.readStatic(a.name(), new long[a.dims().size()], ints(s.shape(a)));
            NdArray theirs = read(group, a, new long[a.dims().size()], ints(s.shape(a)));
            if (!mine.contentEquals(theirs)) {
              drift("", -1, key, a.name(), "static values differ from the file's");
            }
          }
          for (Shown sh : e.getValue()) {
            if (sh.index() >= fr.records().size()) {
              drift(
                  sh.identity(), sh.row(), key, "", "the file no longer has record " + sh.index());
              continue;
            }
            SourceRecord rec = fr.records().get(sh.index());
            if (!rec.identity().equals(sh.identity())) {
              drift(sh.identity(), sh.row(), key, "", "the file's record is now " + rec.identity());
              continue;
            }
            for (ArraySpec a : s.arrays(ArrayRole.RECORD)) {
              compareRow(s, group, a, sh, key, rec);
            }
            records++;
          }
        }
        checkedFiles++;
      } catch (RuntimeException ex) {
        drift("", -1, key, "", "cannot re-read the file: " + ex.getMessage());
      }
      files.forget(key);
      progress.advance(1);
    }
    for (long row : blank) {
      for (ArraySpec a : s.arrays(ArrayRole.RECORD)) {
        compareBlank(s, group, a, row);
      }
    }
    return new VerifyReport(records, checkedFiles, drifts, pending);
  }

  private void verifyComputed(StoreSchema s, ZarrGroup group) {
    long n = s.record().size();
    for (ArraySpec a : s.arrays(ArrayRole.COMPUTED)) {
      for (long start = 0; start < n; start += COMPUTED_BLOCK) {
        int count = (int) Math.min(COMPUTED_BLOCK, n - start);
        NdArray expected = layout.computedRows(s, a, start, count);
        NdArray actual = read(group, a, new long[] {start}, new int[] {count});
        if (!expected.contentEquals(actual)) {
          drift(
              "",
              start,
              "",
              a.name(),
              "computed values differ in rows " + start + ".." + (start + count));
        }
      }
    }
  }

  /** Compares one row of one array band by band (one chunk row of dim 1 at a time). */
  private void compareRow(
      StoreSchema s, ZarrGroup group, ArraySpec a, Shown sh, String key, SourceRecord rec) {
    long[] ext = s.shape(a);
    int[] c = s.chunks(a);
    int rank = ext.length;
    long bandLen = rank >= 3 ? c[1] : Math.max(1, rank >= 2 ? ext[1] : 1);
    long n1 = rank >= 2 ? ext[1] : 1;
    for (long b0 = 0; b0 < n1 || (rank < 2 && b0 == 0); b0 += bandLen) {
      long[] o = new long[rank - 1];
      int[] cnt = new int[rank - 1];
      if (rank >= 2) {
        o[0] = b0;
        cnt[0] = (int) Math.min(bandLen, ext[1] - b0);
        for (int d = 2; d < rank; d++) {
          cnt[d - 1] = (int) ext[d];
        }
      }
      NdArray mine = rec.read(a.name(), o, cnt);
      long[] so = new long[rank];
      int[] sc = new int[rank];
      so[0] = sh.row();
      sc[0] = 1;
      for (int d = 1; d < rank; d++) {
        so[d] = o[d - 1];
        sc[d] = cnt[d - 1];
      }
      NdArray theirs = read(group, a, so, sc);
      if (!sameBytes(mine, theirs)) {
        drift(
            sh.identity(),
            sh.row(),
            key,
            a.name(),
            "values differ from the file's"
                + (rank >= 3 ? " (rows " + b0 + "+ of " + a.dims().get(1) + ")" : ""));
        return;
      }
      if (rank < 2) {
        return;
      }
    }
  }

  private void compareBlank(StoreSchema s, ZarrGroup group, ArraySpec a, long row) {
    ZarrArray array = group.array(a.name()).orElseThrow();
    long[] grid = array.chunkGrid();
    int c0 = s.record().chunk();
    long g = row / c0;
    long[] idx = new long[grid.length];
    idx[0] = g;
    boolean[] bad = {false};
    forEach(
        grid,
        1,
        idx,
        i -> {
          if (bad[0]) {
            return;
          }
          Optional<NdArray> chunk = array.readChunk(i);
          if (chunk.isEmpty()) {
            return;
          }
          NdArray fill = array.emptyChunk();
          int[] shape = fill.shape();
          int[] origin = new int[shape.length];
          origin[0] = (int) (row - g * c0);
          int[] box = shape.clone();
          box[0] = 1;
          if (!fill.section(origin, box).contentEquals(chunk.get().section(origin, box))) {
            bad[0] = true;
          }
        });
    if (bad[0]) {
      drift("", row, "", a.name(), "row shows no file but holds values other than fill");
    }
  }

  private interface IndexVisitor {
    void visit(long[] index);
  }

  private static void forEach(long[] grid, int from, long[] idx, IndexVisitor v) {
    if (from == grid.length) {
      v.visit(idx.clone());
      return;
    }
    for (long i = 0; i < grid[from]; i++) {
      idx[from] = i;
      forEach(grid, from + 1, idx, v);
    }
  }

  private static boolean sameBytes(NdArray mine, NdArray theirs) {
    if (mine.type() != theirs.type() || mine.size() != theirs.size()) {
      return false;
    }
    if (mine.type() == DataType.STRING) {
      for (int i = 0; i < mine.size(); i++) {
        if (!mine.getString(i).equals(theirs.getString(i))) {
          return false;
        }
      }
      return true;
    }
    return mine.buffer().equals(theirs.buffer());
  }

  private static NdArray read(ZarrGroup group, ArraySpec a, long[] origin, int[] count) {
    return group.array(a.name()).orElseThrow().read(origin, count);
  }

  private void drift(String identity, long row, String key, String array, String reason) {
    drifts.add(new VerifyReport.Drift(identity, row, key, array, reason));
  }

  private static int[] ints(long[] shape) {
    int[] out = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = Math.toIntExact(shape[i]);
    }
    return out;
  }
}
