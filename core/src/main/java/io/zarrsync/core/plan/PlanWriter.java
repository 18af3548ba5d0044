package io.zarrsync.core.plan;

import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.NdArray;
import io.zarrsync.api.StoreException;
import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.SourceRecord;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.core.manifest.FileState;
import io.zarrsync.core.source.Fingerprint;
import io.zarrsync.core.txn.StagingStore;
import io.zarrsync.zarr.ArrayMetadata;
import io.zarrsync.zarr.ChunkGrid;
import io.zarrsync.zarr.ZarrArray;
import io.zarrsync.zarr.ZarrFormat;
import io.zarrsync.zarr.ZarrGroup;
import io.zarrsync.zarr.store.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Executes a {@link Plan} into a transaction's {@link StagingStore}: Zarr metadata (create, resize,
 * attributes), static and computed arrays, and the record arrays chunk group by chunk group. Every
 * chunk is read at most once (only when the rows it holds are not all rewritten) and written or
 * deleted at most once; chunks that end up all fill are deleted. Chunk tasks run on the injected
 * executor, at most {@code parallelism} at a time, each holding at most about {@link #TASK_BYTES}
 * of chunks.
 */
public final class PlanWriter {
  /** Chunk bytes one task assembles at most (unless a single chunk band is larger). */
  public static final long TASK_BYTES = 32L << 20;

  private final CollectionConfig config;
  private final Layout layout;
  private final OpenFiles files;
  private final Executor executor;
  private final int parallelism;
  private final Executor io;

  /**
   * @param executor runs chunk tasks (CPU: reading, assembling, encoding)
   * @param parallelism chunk tasks in flight
   * @param io runs store writes, which may block on the disk or network
   */
  public PlanWriter(
      CollectionConfig config,
      Layout layout,
      OpenFiles files,
      Executor executor,
      int parallelism,
      Executor io) {
    this.config = config;
    this.layout = layout;
    this.files = files;
    this.executor = executor;
    this.parallelism = parallelism;
    this.io = io;
  }

  /**
   * Writes everything the plan changes into {@code staging}, ending with consolidated metadata.
   *
   * @throws io.zarrsync.api.InvalidSourceFileException (wrapped in {@link SourceFailure}) if a file
   *     fails while its data is read
   */
  public void write(Plan plan, StagingStore staging, ProgressListener progress) {
    StoreSchema s = plan.schemaAfter();
    if (s == null) {
      return;
    }
    Map<String, Object> groupAttrs = s.attributes();
    Map<String, Map<String, Object>> arrayAttrs = new LinkedHashMap<>();
    if (plan.attributesFrom() != null) {
      StoreSchema ref = referenceSchema(plan);
      groupAttrs = ref.attributes();
      for (ArraySpec a : ref.arrays(ArrayRole.RECORD)) {
        arrayAttrs.put(a.name(), a.attributes());
      }
    }
    // One view of the group for the whole transaction, opened from the consolidated metadata
    // (every commit writes it): no listing of the store, whose size must not matter. It lists no
    // chunks, so that a resize does not revisit them: the plan already blanks or deletes every
    // chunk beyond a shrinking edge.
    Store view = new NoChunkListing(staging);
    ZarrGroup group;
    if (plan.create()) {
      group = ZarrGroup.create(view, ZarrFormat.V2, groupAttrs);
      for (ArraySpec a : s.arrays()) {
        group.createArray(
            a.name(), metadata(a, s, arrayAttrs.getOrDefault(a.name(), a.attributes())));
      }
      writeStatics(plan, group, s);
    } else {
      group = ZarrGroup.open(view);
      updateMetadata(plan, group, staging, groupAttrs, arrayAttrs);
    }
    writeComputed(plan, group, s, staging);
    writeRecords(plan, group, s, staging, progress);
    group.consolidate();
  }

  private StoreSchema referenceSchema(Plan plan) {
    String key = plan.attributesFrom();
    FileState f = plan.after().files().get(key);
    try (OpenFiles.Handle h = files.acquire(key, f == null ? null : f.fingerprint())) {
      synchronized (h.lock()) {
        return layout.schema(key, h.file());
      }
    } catch (InvalidSourceFileException e) {
      // The file is applied (it fits the store) but cannot define a schema on its own, e.g. it
      // lacks a configured variable (F9): keep the attributes the store has.
      return plan.schemaAfter();
    } catch (RuntimeException e) {
      throw new SourceFailure(key, e);
    }
  }

  private ArrayMetadata metadata(ArraySpec a, StoreSchema s, Map<String, Object> attrs) {
    List<Long> shape = new ArrayList<>();
    for (long x : s.shape(a)) {
      shape.add(x);
    }
    List<Integer> chunks = new ArrayList<>();
    for (int c : s.chunks(a)) {
      chunks.add(c);
    }
    return new ArrayMetadata(
        shape,
        chunks,
        a.dataType(),
        a.stringLength(),
        a.fillValue(),
        config.compressor(),
        a.dims(),
        attrs);
  }

  private static void updateMetadata(
      Plan plan,
      ZarrGroup group,
      StagingStore staging,
      Map<String, Object> groupAttrs,
      Map<String, Map<String, Object>> arrayAttrs) {
    StoreSchema s = plan.schemaAfter();
    for (ArraySpec a : s.arrays()) {
      ZarrArray array =
          group
              .array(a.name())
              .orElseThrow(
                  () ->
                      new StoreException(
                          staging.base().describe() + ": array " + a.name() + " is missing"));
      List<Long> shape = new ArrayList<>();
      for (long x : s.shape(a)) {
        shape.add(x);
      }
      if (!shape.equals(array.metadata().shape())) {
        array.resize(shape);
      }
      Map<String, Object> attrs = arrayAttrs.get(a.name());
      if (attrs != null
          && !array
              .metadata()
              .withAttributes(attrs)
              .attributes()
              .equals(array.metadata().attributes())) {
        array.setAttributes(attrs);
      }
    }
    if (plan.attributesFrom() != null && !canonical(groupAttrs).equals(group.attributes())) {
      group.setAttributes(groupAttrs);
    }
  }

  private static Map<String, Object> canonical(Map<String, Object> attrs) {
    return new ArrayMetadata(List.of(), List.of(), DataType.BYTE, 0, null, null, List.of(), attrs)
        .attributes();
  }

  // ---------------------------------------------------------------- static and computed arrays

  private static void writeStatics(Plan plan, ZarrGroup group, StoreSchema s) {
    for (ArraySpec a : s.arrays(ArrayRole.STATIC)) {
      ZarrArray array = group.array(a.name()).orElseThrow();
      NdArray values = plan.statics().get(a.name());
      long[] shape = s.shape(a);
      int[] chunks = s.chunks(a);
      ChunkGrid.forEachIndex(
          array.chunkGrid(),
          idx -> {
            NdArray chunk = array.emptyChunk();
            int[] src = new int[idx.length];
            int[] box = new int[idx.length];
            for (int d = 0; d < idx.length; d++) {
              src[d] = (int) (idx[d] * chunks[d]);
              box[d] = (int) Math.min(chunks[d], shape[d] - src[d]);
            }
            NdArray.copy(
                values,
                withString(src, 0, a),
                chunk,
                withString(new int[idx.length], 0, a),
                withString(box, a.stringLength(), a));
            if (array.metadata().fillValue() == null || !array.isAllFill(chunk)) {
              array.writeChunk(idx, chunk);
            }
          });
    }
  }

  private void writeComputed(Plan plan, ZarrGroup group, StoreSchema s, Store staging) {
    long before = plan.create() ? 0 : plan.lengthBefore();
    long after = plan.lengthAfter();
    long lo = Math.min(before, after);
    long hi = Math.max(before, after);
    if (plan.create()) {
      lo = 0;
      hi = after;
    }
    if (lo >= hi) {
      return;
    }
    for (ArraySpec a : s.arrays(ArrayRole.COMPUTED)) {
      if (a.dims().size() != 1) {
        throw new ZarrsyncException(
            "computed array "
                + a.name()
                + " must be one-dimensional (along "
                + s.recordDim()
                + ")");
      }
      ZarrArray array = group.array(a.name()).orElseThrow();
      int c = s.chunks(a)[0];
      for (long g = lo / c; g * c < hi; g++) {
        long start = g * c;
        if (start >= after) {
          staging.delete(array.chunkKey(g));
          continue;
        }
        // The whole chunk, rows beyond the length included: a computed chunk then depends only
        // on its index, so a reader still holding a longer (or shorter) shape while this commit
        // publishes sees every slot with its own coordinate, never a fill value.
        NdArray values = layout.computedRows(s, a, start, c);
        array.writeChunk(new long[] {g}, values);
      }
    }
  }

  // ---------------------------------------------------------------- record arrays

  /** The chunks of one array in one chunk group that one read per row fills. */
  private static final class Unit {
    private final ZarrArray array;
    private final ArraySpec spec;
    private final long[] recOrigin;
    private final int[] recCount;
    private final List<long[]> chunks;
    private final long bytes;

    Unit(
        ZarrArray array,
        ArraySpec spec,
        long[] recOrigin,
        int[] recCount,
        List<long[]> chunks,
        long bytes) {
      this.array = array;
      this.spec = spec;
      this.recOrigin = recOrigin;
      this.recCount = recCount;
      this.chunks = chunks;
      this.bytes = bytes;
    }

    ZarrArray array() {
      return array;
    }

    ArraySpec spec() {
      return spec;
    }

    long[] recOrigin() {
      return recOrigin;
    }

    int[] recCount() {
      return recCount;
    }

    List<long[]> chunks() {
      return chunks;
    }

    long bytes() {
      return bytes;
    }
  }

  private record Task(long group, List<Unit> units) {}

  private void writeRecords(
      Plan plan, ZarrGroup group, StoreSchema s, StagingStore staging, ProgressListener progress) {
    NavigableMap<Long, Plan.RowSource> rows = plan.rows();
    if (rows.isEmpty()) {
      return;
    }
    int c0 = s.record().chunk();
    List<Long> groups = new ArrayList<>();
    for (long row : rows.keySet()) {
      long g = row / c0;
      if (groups.isEmpty() || groups.get(groups.size() - 1) != g) {
        groups.add(g);
      }
    }
    List<List<Task>> byGroup = new ArrayList<>();
    for (long g : groups) {
      List<Task> mine = new ArrayList<>();
      List<Unit> pending = new ArrayList<>();
      long bytes = 0;
      for (Unit u : units(group, s, g)) {
        if (!pending.isEmpty() && bytes + u.bytes() > TASK_BYTES) {
          mine.add(new Task(g, pending));
          pending = new ArrayList<>();
          bytes = 0;
        }
        pending.add(u);
        bytes += u.bytes();
      }
      if (!pending.isEmpty()) {
        mine.add(new Task(g, pending));
      }
      byGroup.add(mine);
    }
    // Interleave the tasks of `parallelism` consecutive chunk groups, so that tasks running at the
    // same time mostly read different files (one file is read by one thread at a time) while only
    // a few files are open at once.
    List<Task> tasks = new ArrayList<>();
    for (int w = 0; w < byGroup.size(); w += parallelism) {
      List<List<Task>> window = byGroup.subList(w, Math.min(byGroup.size(), w + parallelism));
      int most = window.stream().mapToInt(List::size).max().orElse(0);
      for (int i = 0; i < most; i++) {
        for (List<Task> g : window) {
          if (i < g.size()) {
            tasks.add(g.get(i));
          }
        }
      }
    }
    progress.begin("write", tasks.size());
    // Close each source file once the last task reading it is done: readers keep large decode
    // caches, so finished files must not wait for LRU eviction.
    Map<String, AtomicInteger> uses = new ConcurrentHashMap<>();
    for (Task t : tasks) {
      for (String key : keysOf(plan, t)) {
        uses.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      }
    }
    Semaphore permits = new Semaphore(parallelism);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    try {
      for (Task t : tasks) {
        permits.acquire();
        if (failure.get() != null) {
          permits.release();
          break;
        }
        futures.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    if (failure.get() == null) {
                      run(plan, s, staging, t);
                      progress.advance(1);
                    }
                    for (String key : keysOf(plan, t)) {
                      if (uses.get(key).decrementAndGet() == 0) {
                        files.forget(key);
                      }
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  } finally {
                    permits.release();
                  }
                },
                executor));
      }
      for (CompletableFuture<Void> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZarrsyncException("interrupted while writing chunks", e);
    } catch (ExecutionException e) {
      failure.compareAndSet(null, e.getCause());
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new ZarrsyncException("chunk task failed: " + t, t);
    }
  }

  /** The source keys a task reads. */
  private static java.util.Set<String> keysOf(Plan plan, Task t) {
    int c0 = plan.schemaAfter().record().chunk();
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (Plan.RowSource r :
        plan.rows().subMap(t.group() * c0, true, (t.group() + 1) * c0, false).values()) {
      if (!r.blank()) {
        keys.add(r.key());
      }
    }
    return keys;
  }

  private static List<Unit> units(ZarrGroup group, StoreSchema s, long g) {
    List<Unit> out = new ArrayList<>();
    for (ArraySpec a : s.arrays(ArrayRole.RECORD)) {
      ZarrArray array = group.array(a.name()).orElseThrow();
      long[] ext = s.shape(a);
      int[] c = s.chunks(a);
      long[] grid = array.chunkGrid();
      int rank = ext.length;
      long chunkBytes = Math.max(1, a.dataType().size()) * (long) Math.max(1, a.stringLength());
      for (int x : c) {
        chunkBytes *= x;
      }
      if (rank <= 2) {
        List<long[]> chunks = new ArrayList<>();
        long n = rank == 1 ? 1 : grid[1];
        for (long j = 0; j < n; j++) {
          chunks.add(rank == 1 ? new long[] {g} : new long[] {g, j});
        }
        if (!chunks.isEmpty()) {
          long[] o = new long[rank - 1];
          int[] cnt = rank == 1 ? new int[0] : new int[] {(int) ext[1]};
          out.add(new Unit(array, a, o, cnt, chunks, chunkBytes * chunks.size()));
        }
        continue;
      }
      for (long b = 0; b < grid[1]; b++) {
        long[] o = new long[rank - 1];
        int[] cnt = new int[rank - 1];
        o[0] = b * c[1];
        cnt[0] = (int) Math.min(c[1], ext[1] - o[0]);
        for (int d = 2; d < rank; d++) {
          cnt[d - 1] = (int) ext[d];
        }
        long[] sub = Arrays.copyOfRange(grid, 2, rank);
        List<long[]> chunks = new ArrayList<>();
        final long band = b;
        ChunkGrid.forEachIndex(
            sub,
            rest -> {
              long[] idx = new long[rank];
              idx[0] = g;
              idx[1] = band;
              System.arraycopy(rest, 0, idx, 2, rest.length);
              chunks.add(idx);
            });
        if (!chunks.isEmpty()) {
          out.add(new Unit(array, a, o, cnt, chunks, chunkBytes * chunks.size()));
        }
      }
    }
    return out;
  }

  private void run(Plan plan, StoreSchema s, StagingStore staging, Task t) {
    int c0 = s.record().chunk();
    long rowStart = t.group() * c0;
    long length = plan.lengthAfter();
    long valid = Math.min(c0, length - rowStart);
    if (valid <= 0) {
      for (Unit u : t.units()) {
        for (long[] idx : u.chunks()) {
          staging.delete(u.array().chunkKey(idx));
        }
      }
      return;
    }
    NavigableMap<Long, Plan.RowSource> rows =
        plan.rows().subMap(rowStart, true, rowStart + c0, false);
    long rewritten = rows.headMap(rowStart + valid, false).size();
    boolean covered = rewritten == valid;
    List<NdArray[]> chunks = new ArrayList<>();
    for (Unit u : t.units()) {
      NdArray[] cs = new NdArray[u.chunks().size()];
      for (int i = 0; i < cs.length; i++) {
        long[] idx = u.chunks().get(i);
        cs[i] =
            covered
                ? u.array().emptyChunk()
                : u.array().readChunk(idx).orElseGet(u.array()::emptyChunk);
      }
      chunks.add(cs);
    }
    NdArray[] fills = new NdArray[t.units().size()];
    for (Map.Entry<Long, Plan.RowSource> e : rows.entrySet()) {
      int r = (int) (e.getKey() - rowStart);
      Plan.RowSource src = e.getValue();
      if (src.blank() || e.getKey() >= length) {
        if (!covered) {
          for (int ui = 0; ui < t.units().size(); ui++) {
            if (fills[ui] == null) {
              fills[ui] = t.units().get(ui).array().emptyChunk();
            }
            blankRow(fills[ui], chunks.get(ui), r);
          }
        }
        continue;
      }
      Fingerprint fp = plan.fingerprints().get(src.key());
      if (fp == null) {
        FileState f = plan.after().files().get(src.key());
        fp = f == null ? null : f.fingerprint();
      }
      try (OpenFiles.Handle h = files.acquire(src.key(), fp)) {
        SourceRecord rec = h.records(s).records().get(src.index());
        synchronized (h.lock()) {
          for (int ui = 0; ui < t.units().size(); ui++) {
            Unit u = t.units().get(ui);
            NdArray data = rec.read(u.spec().name(), u.recOrigin(), u.recCount());
            place(u, chunks.get(ui), r, data, s);
          }
        }
      } catch (SourceChangedException e2) {
        throw e2;
      } catch (RuntimeException e2) {
        throw new SourceFailure(src.key(), e2);
      }
    }
    // Encoding stays on this thread; the puts go to the I/O pool, because a durable put waits
    // for the disk (fsync) and would otherwise leave a core idle.
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int ui = 0; ui < t.units().size(); ui++) {
      Unit u = t.units().get(ui);
      NdArray[] cs = chunks.get(ui);
      for (int i = 0; i < cs.length; i++) {
        String key = u.array().chunkKey(u.chunks().get(i));
        if (u.array().metadata().fillValue() != null && u.array().isAllFill(cs[i])) {
          puts.add(CompletableFuture.runAsync(() -> staging.delete(key), io));
        } else {
          byte[] bytes = u.array().encodeChunk(cs[i]);
          cs[i] = null;
          puts.add(CompletableFuture.runAsync(() -> staging.put(key, bytes), io));
        }
      }
    }
    try {
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private static void blankRow(NdArray fill, NdArray[] cs, int r) {
    int[] shape = fill.shape();
    int[] origin = new int[shape.length];
    origin[0] = r;
    int[] box = shape.clone();
    box[0] = 1;
    for (NdArray c : cs) {
      NdArray.copy(fill, origin, c, origin, box);
    }
  }

  /** Copies one row's data box into the unit's chunks at row {@code r}. */
  private static void place(Unit u, NdArray[] cs, int r, NdArray data, StoreSchema s) {
    ArraySpec a = u.spec();
    long[] ext = s.shape(a);
    int[] c = s.chunks(a);
    int rank = ext.length;
    NdArray lead = withLeadingOne(data);
    for (int i = 0; i < cs.length; i++) {
      long[] idx = u.chunks().get(i);
      int[] src = new int[rank];
      int[] dst = new int[rank];
      int[] box = new int[rank];
      dst[0] = r;
      box[0] = 1;
      boolean empty = false;
      for (int d = 1; d < rank; d++) {
        long start = idx[d] * c[d];
        src[d] = (int) (start - u.recOrigin()[d - 1]);
        box[d] = (int) Math.min(c[d], ext[d] - start);
        empty |= box[d] <= 0;
      }
      if (empty) {
        continue;
      }
      NdArray.copy(
          lead,
          withString(src, 0, a),
          cs[i],
          withString(dst, 0, a),
          withString(box, a.stringLength(), a));
    }
  }

  private static NdArray withLeadingOne(NdArray a) {
    int[] shape = a.shape();
    int[] out = new int[shape.length + 1];
    out[0] = 1;
    System.arraycopy(shape, 0, out, 1, shape.length);
    if (a.type() == DataType.STRING) {
      String[] s = new String[a.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = a.getString(i);
      }
      return NdArray.ofStrings(out, s);
    }
    return NdArray.wrap(a.type(), out, a.buffer());
  }

  private static int[] withString(int[] box, int last, ArraySpec a) {
    if (a.stringLength() == 0) {
      return box;
    }
    int[] out = Arrays.copyOf(box, box.length + 1);
    out[box.length] = last;
    return out;
  }

  /** A source file failed while its data was read; the engine quarantines it and re-plans. */
  public static final class SourceFailure extends ZarrsyncException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public SourceFailure(String key, Throwable cause) {
      super(key + ": " + cause.getMessage(), cause);
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  /** A view that lists no keys below the root, so that a resize does not revisit chunks. */
  private static final class NoChunkListing implements Store {
    private final Store s;

    NoChunkListing(Store s) {
      this.s = s;
    }

    @Override
    public Optional<byte[]> get(String key) {
      return s.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
      s.put(key, value);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
      return s.putIfAbsent(key, value);
    }

    @Override
    public void delete(String key) {
      s.delete(key);
    }

    @Override
    public boolean exists(String key) {
      return s.exists(key);
    }

    @Override
    public List<String> list(String prefix) {
      return prefix.isEmpty() ? s.list(prefix) : List.of();
    }

    @Override
    public List<String> listChildren(String dir) {
      return s.listChildren(dir);
    }

    @Override
    public String describe() {
      return s.describe();
    }
  }
}
