package io.zarrsync.zarr;

import java.util.function.Consumer;

/** Walks the indices of an n-dimensional grid (e.g. {@link ZarrArray#chunkGrid()}). */
public final class ChunkGrid {
  private ChunkGrid() {}

  /**
   * Calls {@code visitor} with every index of {@code grid} in row-major order (each call gets its
   * own array). A grid with a zero extent has no indices; a rank-0 grid has one, {@code []}.
   */
  public static void forEachIndex(long[] grid, Consumer<long[]> visitor) {
    for (long n : grid) {
      if (n == 0) {
        return;
      }
    }
    long[] idx = new long[grid.length];
    while (true) {
      visitor.accept(idx.clone());
      int d = grid.length - 1;
      while (d >= 0) {
        if (++idx[d] < grid[d]) {
          break;
        }
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }
}
