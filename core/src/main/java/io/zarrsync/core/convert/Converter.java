package io.zarrsync.core.convert;

import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.NdArray;
import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.core.mapping.AttributeMapping;
import io.zarrsync.core.mapping.VariableMapping;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.zarr.ArrayMetadata;
import io.zarrsync.zarr.ChunkGrid;
import io.zarrsync.zarr.ZarrArray;
import io.zarrsync.zarr.ZarrGroup;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concatenates NetCDF files along their unlimited dimension (or, without one, their first
 * dimension) into a new Zarr store.
 *
 * <p>Every file is checked before anything is written: all files must have the first file's
 * variables with the same types and dimensions, differing only in the length of the append
 * dimension. Chunks are then assembled from hyperslab reads, each chunk written once, by {@link
 * ConvertOptions#threads()} workers that each hold their own file handles. Chunks that hold only
 * the fill value are not written (Zarr readers return the fill value for them).
 */
public final class Converter {
  /** Receives progress in chunks. */
  public interface Listener {
    void started(long totalChunks);

    void advanced(long chunks);

    Listener NONE =
        new Listener() {
          @Override
          public void started(long totalChunks) {}

          @Override
          public void advanced(long chunks) {}
        };
  }

  private static final int OPEN_FILES_PER_WORKER = 8;

  private final ConvertOptions options;

  public Converter(ConvertOptions options) {
    this.options = Objects.requireNonNull(options);
  }

  /**
   * Converts {@code files} into {@code store}.
   *
   * @throws InvalidSourceFileException naming the first file that cannot be read or does not fit
   *     the first file's structure; nothing is written then
   * @throws ZarrsyncException if the store already holds Zarr data and overwrite is off
   */
  public ConvertResult convert(List<Path> files, Store store, Listener listener) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input files");
    }
    long started = System.nanoTime();
    Plan plan = plan(files);
    if (ZarrGroup.exists(store)) {
      if (!options.overwrite()) {
        throw new ZarrsyncException(
            store.describe() + ": already holds a Zarr store; pass --overwrite to replace it");
      }
      for (String key : store.list("")) {
        store.delete(key);
      }
    }
    ZarrGroup group = ZarrGroup.create(store, options.format(), plan.globalAttributes);
    // Chunks that differ only in their last index form one work unit, so a worker reads a source
    // chunk that spans several of them once (its reader caches the decoded chunk).
    List<List<Task>> tasks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    long total = 0;
    for (VarPlan vp : plan.variables) {
      ZarrArray array = group.createArray(vp.name, vp.metadata);
      names.add(vp.name);
      Map<List<Long>, List<Task>> rows = new LinkedHashMap<>();
      ChunkGrid.forEachIndex(
          array.chunkGrid(),
          idx -> {
            List<Long> row = new ArrayList<>();
            for (int d = 0; d < idx.length - 1; d++) {
              row.add(idx[d]);
            }
            rows.computeIfAbsent(row, k -> new ArrayList<>()).add(new Task(vp, array, idx));
          });
      tasks.addAll(rows.values());
      for (List<Task> r : rows.values()) {
        total += r.size();
      }
    }
    listener.started(total);
    long written = runTasks(plan, tasks, listener);
    group.consolidate();
    long bytes = 0;
    for (Path f : files) {
      bytes += sizeOf(f);
    }
    return new ConvertResult(
        files.size(), bytes, names, written, plan.appendDim, (System.nanoTime() - started) / 1e9);
  }

  private static long sizeOf(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  // ---------------------------------------------------------------- planning

  private static final class VarPlan {
    final String name;
    final ArrayMetadata metadata;

    /** Index of the append dimension among the Zarr dimensions, or -1. */
    final int appendAxis;

    final int stringLength;

    VarPlan(String name, ArrayMetadata metadata, int appendAxis, int stringLength) {
      this.name = name;
      this.metadata = metadata;
      this.appendAxis = appendAxis;
      this.stringLength = stringLength;
    }
  }

  private static final class Plan {
    final List<Path> files;
    final String appendDim;
    final long[] fileOffsets; // start of each file along the append dimension
    final long[] fileLengths;
    final List<VarPlan> variables = new ArrayList<>();
    final Map<String, Object> globalAttributes;

    Plan(List<Path> files, String appendDim, Map<String, Object> globalAttributes) {
      this.files = files;
      this.appendDim = appendDim;
      this.fileOffsets = new long[files.size()];
      this.fileLengths = new long[files.size()];
      this.globalAttributes = globalAttributes;
    }
  }

  /** What the first file says about one variable, captured while it is open. */
  private record Template(
      String name,
      io.zarrsync.api.DataType type,
      List<String> dimNames,
      List<Dimension> zarrDims,
      int stringLength,
      List<Integer> storageChunks,
      ArrayMetadata prototype) {}

  private Plan plan(List<Path> files) {
    Plan plan;
    List<Template> template = new ArrayList<>();
    Map<String, Long> fixedDims = new LinkedHashMap<>();
    try (NetcdfFile first = NetcdfFiles.open(files.get(0))) {
      if (first.dimensions().isEmpty()) {
        throw new InvalidSourceFileException(
            files.get(0).toString(), "has no dimensions to concatenate along");
      }
      String appendDim = appendDimension(first);
      plan =
          new Plan(files, appendDim, AttributeMapping.toJson(first.globalAttributes(), List.of()));
      for (Dimension d : first.dimensions()) {
        if (!d.name().equals(appendDim)) {
          fixedDims.put(d.name(), d.length());
        }
      }
      Set<String> folded = VariableMapping.foldedCharVariables(first);
      for (Variable v : first.variables()) {
        if (v.name().contains("/")) {
          continue; // sub-group variables: convert writes the root group only
        }
        List<Dimension> zdims = VariableMapping.zarrDimensions(v, folded.contains(v.name()));
        List<Long> shape = zdims.stream().map(Dimension::length).toList();
        List<Integer> storage =
            v.storageChunks().map(c -> Arrays.stream(c).boxed().toList()).orElse(List.of());
        template.add(
            new Template(
                v.name(),
                v.dataType(),
                v.dimensions().stream().map(Dimension::name).toList(),
                zdims,
                VariableMapping.stringLength(v, folded.contains(v.name())),
                storage,
                VariableMapping.metadata(
                    v,
                    folded.contains(v.name()),
                    shape,
                    shape.stream().map(x -> (int) Math.max(1, x)).toList(),
                    options.compressor())));
      }
    }
    long offset = 0;
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      try (NetcdfFile nc = NetcdfFiles.open(f)) {
        long len = nc.findDimension(plan.appendDim).map(Dimension::length).orElse(-1L);
        if (len < 0) {
          throw new InvalidSourceFileException(
              f.toString(), "has no dimension '" + plan.appendDim + "' to concatenate along");
        }
        if (i > 0) {
          for (Template t : template) {
            Variable v =
                nc.findVariable(t.name())
                    .orElseThrow(
                        () ->
                            new InvalidSourceFileException(
                                f.toString(),
                                "lacks variable '" + t.name() + "' that " + files.get(0) + " has"));
            checkSameStructure(f, t, v, plan.appendDim, fixedDims);
          }
        }
        plan.fileOffsets[i] = offset;
        plan.fileLengths[i] = len;
        offset += len;
      }
    }
    for (Template t : template) {
      List<Long> shape = new ArrayList<>();
      int appendAxis = -1;
      for (int d = 0; d < t.zarrDims().size(); d++) {
        if (t.zarrDims().get(d).name().equals(plan.appendDim)) {
          appendAxis = d;
          shape.add(offset);
        } else {
          shape.add(t.zarrDims().get(d).length());
        }
      }
      List<Integer> chunks = chunks(t, shape, appendAxis);
      ArrayMetadata p = t.prototype();
      plan.variables.add(
          new VarPlan(
              t.name(),
              new ArrayMetadata(
                  shape,
                  chunks,
                  p.dataType(),
                  p.stringLength(),
                  p.fillValue(),
                  p.compressor(),
                  p.dimensions(),
                  p.attributes()),
              appendAxis,
              t.stringLength()));
    }
    return plan;
  }

  /**
   * The unlimited dimension; without one, the dimension that leads the most variables (a GHRSST
   * file's {@code time}, even where {@code lat} is declared first); ties go to the first declared.
   */
  static String appendDimension(NetcdfFile nc) {
    Optional<Dimension> unlimited = nc.unlimitedDimension();
    if (unlimited.isPresent()) {
      return unlimited.get().name();
    }
    Map<String, Integer> leads = new LinkedHashMap<>();
    for (Dimension d : nc.dimensions()) {
      leads.put(d.name(), 0);
    }
    for (Variable v : nc.variables()) {
      if (!v.dimensions().isEmpty()) {
        leads.merge(v.dimensions().get(0).name(), 1, Integer::sum);
      }
    }
    String best = nc.dimensions().get(0).name();
    for (Map.Entry<String, Integer> e : leads.entrySet()) {
      if (e.getValue() > leads.getOrDefault(best, 0)) {
        best = e.getKey();
      }
    }
    return best;
  }

  private static void checkSameStructure(
      Path f, Template t, Variable v, String appendDim, Map<String, Long> fixedDims) {
    if (v.dataType() != t.type()) {
      throw new InvalidSourceFileException(
          f.toString(),
          "variable '"
              + v.name()
              + "' is "
              + v.dataType()
              + " where the first file has "
              + t.type());
    }
    List<String> a = v.dimensions().stream().map(Dimension::name).toList();
    if (!a.equals(t.dimNames())) {
      throw new InvalidSourceFileException(
          f.toString(),
          "variable '"
              + v.name()
              + "' has dimensions "
              + a
              + " where the first file has "
              + t.dimNames());
    }
    for (Dimension d : v.dimensions()) {
      Long expected = fixedDims.get(d.name());
      if (!d.name().equals(appendDim) && expected != null && expected != d.length()) {
        throw new InvalidSourceFileException(
            f.toString(),
            "dimension '"
                + d.name()
                + "' has length "
                + d.length()
                + " where the first file has "
                + expected);
      }
    }
  }

  /**
   * Chunk lengths: configured ones first; otherwise the file's own storage chunks (so each source
   * chunk is decompressed once per Zarr chunk), else the whole extent; then the largest free extent
   * is halved until a chunk holds at most {@link ConvertOptions#TARGET_CHUNK_BYTES} (or, when
   * following storage chunks, at most four times that). The append dimension defaults to 1.
   */
  private List<Integer> chunks(Template t, List<Long> shape, int appendAxis) {
    int rank = shape.size();
    int[] c = new int[rank];
    boolean[] fixed = new boolean[rank];
    boolean storage = t.storageChunks().size() >= rank;
    for (int d = 0; d < rank; d++) {
      Integer configured = options.chunks().get(t.zarrDims().get(d).name());
      if (configured != null) {
        c[d] = configured;
        fixed[d] = true;
      } else if (d == appendAxis) {
        c[d] = 1;
      } else if (storage) {
        c[d] = Math.max(1, (int) Math.min(t.storageChunks().get(d), Math.max(1, shape.get(d))));
      } else {
        c[d] = (int) Math.max(1, Math.min(Integer.MAX_VALUE, shape.get(d)));
      }
    }
    long elementBytes =
        t.type().size() > 0 ? (long) t.type().size() * Math.max(1, t.stringLength()) : 16;
    long limit =
        storage ? 4 * ConvertOptions.TARGET_CHUNK_BYTES : ConvertOptions.TARGET_CHUNK_BYTES;
    while (true) {
      long bytes = elementBytes;
      for (int x : c) {
        bytes *= x;
      }
      if (bytes <= limit) {
        break;
      }
      int largest = -1;
      for (int d = 0; d < rank; d++) {
        if (!fixed[d] && d != appendAxis && c[d] > 1 && (largest < 0 || c[d] > c[largest])) {
          largest = d;
        }
      }
      if (largest < 0) {
        break;
      }
      c[largest] = (c[largest] + 1) / 2;
    }
    List<Integer> out = new ArrayList<>();
    for (int x : c) {
      out.add(x);
    }
    return out;
  }

  // ---------------------------------------------------------------- writing

  /** One chunk to assemble; the index array is owned by the task and never changed. */
  private static final class Task {
    final VarPlan var;
    final ZarrArray array;
    final long[] chunkIndex;

    Task(VarPlan var, ZarrArray array, long[] chunkIndex) {
      this.var = var;
      this.array = array;
      this.chunkIndex = chunkIndex;
    }
  }

  private long runTasks(Plan plan, List<List<Task>> tasks, Listener listener) {
    ConcurrentLinkedQueue<List<Task>> queue = new ConcurrentLinkedQueue<>(tasks);
    AtomicLong written = new AtomicLong();
    int threads = Math.min(options.threads(), Math.max(1, tasks.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, Converter::daemon);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  try (FileCache cache = new FileCache(OPEN_FILES_PER_WORKER)) {
                    List<Task> unit;
                    while ((unit = queue.poll()) != null) {
                      for (Task t : unit) {
                        if (writeChunk(plan, t, cache)) {
                          written.incrementAndGet();
                        }
                        listener.advanced(1);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          queue.clear();
          Throwable c = e.getCause();
          if (c instanceof RuntimeException re) {
            throw re;
          }
          throw new ZarrsyncException("conversion failed: " + c, c);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZarrsyncException("conversion interrupted", e);
    } finally {
      pool.shutdownNow();
    }
    return written.get();
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "zarrsync-convert");
    t.setDaemon(true);
    return t;
  }

  /** Assembles and writes one chunk; false if it held only fill values and was skipped. */
  private static boolean writeChunk(Plan plan, Task task, FileCache cache) {
    VarPlan vp = task.var;
    ZarrArray array = task.array;
    int[] cshape = array.chunkShape(task.chunkIndex);
    List<Long> shape = vp.metadata.shape();
    int rank = cshape.length;
    long[] start = new long[rank];
    long[] end = new long[rank];
    for (int d = 0; d < rank; d++) {
      start[d] = task.chunkIndex[d] * cshape[d];
      end[d] = Math.min(start[d] + cshape[d], shape.get(d));
    }
    NdArray chunk = array.emptyChunk();
    // The file's char variables carry their string length as a last dimension; Zarr |S<n> chunks
    // carry it too, except |S1 (n = 1), whose chunks have the array's own rank.
    int extra = vp.stringLength > 0 ? 1 : 0;
    boolean zarrExtra = vp.metadata.stringLength() > 0;
    for (int fi = 0; fi < plan.files.size(); fi++) {
      long fStart = 0;
      long fEnd = Long.MAX_VALUE;
      if (vp.appendAxis >= 0) {
        fStart = plan.fileOffsets[fi];
        fEnd = fStart + plan.fileLengths[fi];
        if (fEnd <= start[vp.appendAxis] || fStart >= end[vp.appendAxis]) {
          continue;
        }
      }
      long[] origin = new long[rank + extra];
      int[] count = new int[rank + extra];
      int[] dst = new int[rank + extra];
      for (int d = 0; d < rank; d++) {
        long lo = start[d];
        long hi = end[d];
        long base = 0;
        if (d == vp.appendAxis) {
          lo = Math.max(lo, fStart);
          hi = Math.min(hi, fEnd);
          base = fStart;
        }
        origin[d] = lo - base;
        count[d] = (int) (hi - lo);
        dst[d] = (int) (lo - start[d]);
      }
      if (extra == 1) {
        count[rank] = vp.stringLength;
      }
      NdArray data =
          cache.open(plan.files.get(fi)).findVariable(vp.name).orElseThrow().read(origin, count);
      if (extra == 1 && !zarrExtra) {
        int[] box = Arrays.copyOf(count, rank);
        NdArray flat = NdArray.wrap(data.type(), box, data.buffer());
        NdArray.copy(flat, new int[rank], chunk, Arrays.copyOf(dst, rank), box);
      } else {
        NdArray.copy(data, new int[rank + extra], chunk, dst, count);
      }
      if (vp.appendAxis < 0) {
        break;
      }
    }
    if (vp.metadata.fillValue() != null && array.isAllFill(chunk)) {
      return false;
    }
    array.writeChunk(task.chunkIndex, chunk);
    return true;
  }

  /** A worker's own open files, least recently used closed first. */
  private static final class FileCache implements AutoCloseable {
    private final int capacity;
    private final LinkedHashMap<Path, NetcdfFile> open = new LinkedHashMap<>(16, 0.75f, true);

    FileCache(int capacity) {
      this.capacity = capacity;
    }

    NetcdfFile open(Path p) {
      NetcdfFile f = open.get(p);
      if (f == null) {
        if (open.size() >= capacity) {
          Path eldest = open.keySet().iterator().next();
          open.remove(eldest).close();
        }
        f = NetcdfFiles.open(p);
        open.put(p, f);
      }
      return f;
    }

    @Override
    public void close() {
      open.values().forEach(NetcdfFile::close);
      open.clear();
    }
  }
}
