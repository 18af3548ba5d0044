package io.zarrsync.zarr;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.zarr.store.Store;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One array of a {@link ZarrGroup}: its metadata, and chunk and region access.
 *
 * <p>Coordinates ({@code origin}, {@code count}, chunk indices) exclude the string-length dimension
 * of a {@link DataType#CHAR} array with a string length {@code n}; the {@link NdArray}s exchanged
 * then have {@code n} as an extra trailing dimension. Chunk indices are not bounded by the current
 * shape, so chunks can be staged before a {@link #resize}.
 *
 * <p>Thread-safe for reads and writes of different chunks. Two concurrent {@link #write}s that
 * touch the same chunk race (each is a read-modify-write); callers plan writes by chunk. {@link
 * #resize} and {@link #setAttributes} update this object in place, so every holder sees the new
 * metadata.
 */
public final class ZarrArray {
  private final Store store;
  private final FormatAdapter format;
  private final String name;
  private volatile State state;

  /** The metadata with what is derived from it, swapped as one. */
  private static final class State {
    private final StoredArray stored;
    private final byte[] fillElement;

    State(StoredArray stored) {
      this.stored = stored;
      this.fillElement = FillValues.elementBytes(stored.metadata());
    }

    StoredArray stored() {
      return stored;
    }

    ArrayMetadata metadata() {
      return stored.metadata();
    }

    byte[] fillElement() {
      return fillElement;
    }
  }

  ZarrArray(Store store, FormatAdapter format, String name, StoredArray stored) {
    this.store = store;
    this.format = format;
    this.name = name;
    this.state = new State(stored);
  }

  public String name() {
    return name;
  }

  public ArrayMetadata metadata() {
    return state.metadata();
  }

  StoredArray stored() {
    return state.stored();
  }

  /**
   * Changes the shape and rewrites the array's metadata. When a dimension shrinks, chunks wholly
   * outside the new shape are deleted and the parts of edge chunks beyond it are reset to fill, so
   * that growing again shows fill, not old data. Attributes are kept.
   *
   * @return this array, with the new shape
   */
  public synchronized ZarrArray resize(List<Long> newShape) {
    State old = state;
    ArrayMetadata m = old.metadata().withShape(newShape);
    if (m.rank() != old.metadata().rank()) {
      throw new IllegalArgumentException(
          name + ": cannot resize " + old.metadata().shape() + " to rank " + m.rank() + " shape");
    }
    State updated = new State(old.stored().withMetadata(m));
    format.writeArrayMetadata(store, name, updated.stored());
    state = updated;
    boolean shrinks = false;
    for (int d = 0; d < m.rank(); d++) {
      shrinks |= m.shape().get(d) < old.metadata().shape().get(d);
    }
    if (shrinks) {
      clearBeyond(old.metadata().shapeArray(), updated);
    }
    return this;
  }

  private void clearBeyond(long[] oldShape, State s) {
    ArrayMetadata m = s.metadata();
    long[] shape = m.shapeArray();
    int[] chunks = m.chunksArray();
    for (String key : store.list(name + "/")) {
      long[] index = format.chunkIndexOf(name, s.stored(), key);
      if (index == null) {
        continue;
      }
      boolean outside = false;
      boolean partial = false;
      for (int d = 0; d < index.length; d++) {
        long start = index[d] * chunks[d];
        long end = start + chunks[d];
        if (start >= shape[d]) {
          outside = true;
        } else if (shape[d] < Math.min(end, oldShape[d])) {
          partial = true;
        }
      }
      if (outside) {
        store.delete(key);
      } else if (partial) {
        Optional<NdArray> chunk = readChunk(s, index);
        if (chunk.isPresent()) {
          NdArray cleared = emptyChunk(s);
          int[] count = new int[index.length];
          for (int d = 0; d < index.length; d++) {
            count[d] = (int) Math.min(chunks[d], shape[d] - index[d] * chunks[d]);
          }
          int[] zero = new int[index.length];
          NdArray.copy(
              chunk.get(),
              withString(zero, 0, m),
              cleared,
              withString(zero, 0, m),
              withString(count, m.stringLength(), m));
          storeChunk(s, index, cleared, true);
        }
      }
    }
  }

  /** Replaces the attributes (dimension names are kept) and rewrites the array's attribute file. */
  public synchronized void setAttributes(Map<String, Object> attributes) {
    State old = state;
    State updated = new State(old.stored().withMetadata(old.metadata().withAttributes(attributes)));
    format.writeArrayAttributes(store, name, updated.stored());
    state = updated;
  }

  /** The number of chunks along each dimension for the current shape. */
  public long[] chunkGrid() {
    ArrayMetadata m = metadata();
    long[] grid = new long[m.rank()];
    for (int d = 0; d < grid.length; d++) {
      long c = m.chunks().get(d);
      grid[d] = (m.shape().get(d) + c - 1) / c;
    }
    return grid;
  }

  /** The full store key of a chunk, e.g. {@code "sst/0.1.2"} ({@code "name/0"} for a scalar). */
  public String chunkKey(long... chunkIndex) {
    return format.chunkKey(name, stored(), chunkIndex);
  }

  /**
   * The shape of the chunk at {@code chunkIndex} in array elements (without a string-length
   * dimension). In v2 every chunk, edge chunks included, has the full chunk shape.
   */
  public int[] chunkShape(long... chunkIndex) {
    chunkKey(chunkIndex); // validates the index
    return metadata().chunksArray();
  }

  /** A new chunk filled with the fill value (zeros, or "" for strings, when the fill is null). */
  public NdArray emptyChunk() {
    return emptyChunk(state);
  }

  private static NdArray emptyChunk(State s) {
    ArrayMetadata m = s.metadata();
    NdArray chunk = NdArray.allocate(m.dataType(), m.chunkArrayShape());
    fill(chunk, s);
    return chunk;
  }

  private static void fill(NdArray array, State s) {
    if (array.type() == DataType.STRING) {
      Object fill = s.metadata().fillValue();
      if (fill != null && !fill.equals("")) {
        array.fillString((String) fill);
      }
    } else if (!ChunkFill.isZero(s.fillElement())) {
      ChunkFill.fill(array, s.fillElement());
    }
  }

  /**
   * The bytes of one fill element: little-endian of the type's width; for CHAR, {@code max(1,
   * stringLength)} NUL-padded bytes; for STRING the UTF-8 of the fill string. All zero (or empty
   * for STRING) when the fill value is null.
   */
  public byte[] fillElement() {
    return state.fillElement().clone();
  }

  /**
   * True if every element of {@code chunk} equals the fill value (byte-wise; for a NaN fill any NaN
   * counts, as in zarr-python). A null fill counts as zeros / "".
   */
  public boolean isAllFill(NdArray chunk) {
    return isAllFill(chunk, state);
  }

  private static boolean isAllFill(NdArray chunk, State s) {
    ArrayMetadata m = s.metadata();
    if (chunk.type() != m.dataType()) {
      throw new IllegalArgumentException(
          "chunk " + chunk + " is not of the array's type " + m.dataType());
    }
    if (chunk.type() == DataType.STRING) {
      Object fill = m.fillValue();
      return chunk.allStringsEqual(fill == null ? "" : (String) fill);
    }
    if (ChunkFill.allEqual(chunk, s.fillElement())) {
      return true;
    }
    return m.dataType().isFloatingPoint()
        && m.fillValue() instanceof Double d
        && d.isNaN()
        && ChunkFill.allNaN(chunk);
  }

  /**
   * The stored bytes of a chunk (filters and compressor applied).
   *
   * @throws IllegalArgumentException if the chunk's type or shape does not fit (the full chunk
   *     shape, plus the string length for CHAR)
   */
  public byte[] encodeChunk(NdArray chunk) {
    return format.encodeChunk(stored(), chunk);
  }

  /**
   * The chunk held in stored bytes.
   *
   * @throws ZarrFormatException if the bytes do not decode to a chunk of this array
   */
  public NdArray decodeChunk(byte[] bytes) {
    return format.decodeChunk(stored(), bytes);
  }

  /** The chunk at {@code chunkIndex}, or empty if its object is missing (all fill). */
  public Optional<NdArray> readChunk(long... chunkIndex) {
    return readChunk(state, chunkIndex);
  }

  private Optional<NdArray> readChunk(State s, long[] chunkIndex) {
    String key = format.chunkKey(name, s.stored(), chunkIndex);
    Optional<byte[]> bytes = store.get(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(format.decodeChunk(s.stored(), bytes.get()));
    } catch (ZarrFormatException e) {
      throw new ZarrFormatException(store.describe() + "/" + key + ": " + e.getMessage(), e);
    }
  }

  /** Encodes and stores a chunk as given (an all-fill chunk is stored too). */
  public void writeChunk(long[] chunkIndex, NdArray chunk) {
    storeChunk(state, chunkIndex, chunk, false);
  }

  private void storeChunk(State s, long[] chunkIndex, NdArray chunk, boolean dropIfFill) {
    String key = format.chunkKey(name, s.stored(), chunkIndex);
    if (dropIfFill && s.metadata().fillValue() != null && isAllFill(chunk, s)) {
      // Readers show fill for a missing chunk. Only with a fill value: zarr-python leaves
      // missing chunks of a null-fill array uninitialised.
      store.delete(key);
    } else {
      store.put(key, format.encodeChunk(s.stored(), chunk));
    }
  }

  /**
   * Reads the box {@code count} at {@code origin}, assembled from the chunks; missing chunks read
   * as fill.
   *
   * @throws IndexOutOfBoundsException if the box is not inside the shape
   */
  public NdArray read(long[] origin, int[] count) {
    State s = state;
    ArrayMetadata m = s.metadata();
    checkBox(m, origin, count);
    NdArray out = NdArray.allocate(m.dataType(), withString(count, m.stringLength(), m));
    fill(out, s);
    forEachChunk(
        m,
        origin,
        count,
        (index, inChunk, inBox, box) ->
            readChunk(s, index)
                .ifPresent(
                    chunk ->
                        NdArray.copy(
                            chunk,
                            withString(inChunk, 0, m),
                            out,
                            withString(inBox, 0, m),
                            withString(box, m.stringLength(), m))));
    return out;
  }

  /**
   * Writes {@code data} (shape = the box, plus the string length for CHAR) at {@code origin}: each
   * touched chunk is read, updated and written back; a chunk the box covers entirely is not read. A
   * chunk that ends up all fill is deleted instead of written (arrays with a fill value only).
   *
   * @throws IndexOutOfBoundsException if the box is not inside the shape
   */
  public void write(long[] origin, NdArray data) {
    State s = state;
    ArrayMetadata m = s.metadata();
    if (data.type() != m.dataType()) {
      throw new IllegalArgumentException(
          name + ": data of type " + data.type() + " for an array of " + m.dataType());
    }
    int[] dataShape = data.shape();
    int rank = m.rank();
    if (dataShape.length != rank + (m.stringLength() > 0 ? 1 : 0)
        || (m.stringLength() > 0 && dataShape[rank] != m.stringLength())) {
      throw new IllegalArgumentException(
          name
              + ": data shape "
              + Arrays.toString(dataShape)
              + " does not fit rank "
              + rank
              + (m.stringLength() > 0 ? " plus string length " + m.stringLength() : ""));
    }
    int[] count = Arrays.copyOf(dataShape, rank);
    checkBox(m, origin, count);
    long[] shape = m.shapeArray();
    int[] chunks = m.chunksArray();
    forEachChunk(
        m,
        origin,
        count,
        (index, inChunk, inBox, box) -> {
          boolean covers = true;
          for (int d = 0; d < rank; d++) {
            long start = index[d] * chunks[d];
            long end = Math.min(start + chunks[d], shape[d]);
            covers &= inChunk[d] == 0 && start + box[d] == end;
          }
          NdArray chunk =
              covers ? emptyChunk(s) : readChunk(s, index).orElseGet(() -> emptyChunk(s));
          NdArray.copy(
              data,
              withString(inBox, 0, m),
              chunk,
              withString(inChunk, 0, m),
              withString(box, m.stringLength(), m));
          storeChunk(s, index, chunk, true);
        });
  }

  private void checkBox(ArrayMetadata m, long[] origin, int[] count) {
    if (origin.length != m.rank() || count.length != m.rank()) {
      throw new IllegalArgumentException(
          name
              + ": origin "
              + Arrays.toString(origin)
              + " and count "
              + Arrays.toString(count)
              + " must have rank "
              + m.rank());
    }
    for (int d = 0; d < m.rank(); d++) {
      if (origin[d] < 0 || count[d] < 0 || origin[d] + count[d] > m.shape().get(d)) {
        throw new IndexOutOfBoundsException(
            name
                + ": box at "
                + Arrays.toString(origin)
                + " of "
                + Arrays.toString(count)
                + " is outside shape "
                + m.shape());
      }
    }
  }

  /** Appends the string-length extent {@code last} for CHAR arrays with a string length. */
  private static int[] withString(int[] box, int last, ArrayMetadata m) {
    if (m.stringLength() == 0) {
      return box;
    }
    int[] out = Arrays.copyOf(box, box.length + 1);
    out[box.length] = last;
    return out;
  }

  /** Receives one chunk's part of a box: where it starts in the chunk and in the box, its size. */
  private interface ChunkPart {
    void accept(long[] chunkIndex, int[] inChunk, int[] inBox, int[] count);
  }

  private static void forEachChunk(ArrayMetadata m, long[] origin, int[] count, ChunkPart part) {
    int rank = m.rank();
    for (int c : count) {
      if (c == 0) {
        return;
      }
    }
    int[] chunks = m.chunksArray();
    long[] first = new long[rank];
    long[] last = new long[rank];
    for (int d = 0; d < rank; d++) {
      first[d] = origin[d] / chunks[d];
      last[d] = (origin[d] + count[d] - 1) / chunks[d];
    }
    long[] index = first.clone();
    while (true) {
      int[] inChunk = new int[rank];
      int[] inBox = new int[rank];
      int[] box = new int[rank];
      for (int d = 0; d < rank; d++) {
        long chunkStart = index[d] * chunks[d];
        long lo = Math.max(origin[d], chunkStart);
        long hi = Math.min(origin[d] + count[d], chunkStart + chunks[d]);
        inChunk[d] = (int) (lo - chunkStart);
        inBox[d] = (int) (lo - origin[d]);
        box[d] = (int) (hi - lo);
      }
      part.accept(index.clone(), inChunk, inBox, box);
      int d = rank - 1;
      while (d >= 0) {
        if (++index[d] <= last[d]) {
          break;
        }
        index[d] = first[d];
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "ZarrArray[" + name + " " + metadata().dataType() + metadata().shape() + "]";
  }
}
