package io.zarrsync.core.layout.profiles;

import io.zarrsync.api.NdArray;
import io.zarrsync.core.layout.Rank;
import io.zarrsync.core.layout.SourceRecord;
import java.util.OptionalLong;

/** One profile of a file: its identity, its version rank and lazy access to its data. */
final class Profile implements SourceRecord {
  private final ProfileFile file;
  private final int position;
  private final String identity;
  private final Rank rank;

  Profile(ProfileFile file, int position, String identity, Rank rank) {
    this.file = file;
    this.position = position;
    this.identity = identity;
    this.rank = rank;
  }

  @Override
  public String identity() {
    return identity;
  }

  /** Rows are given by the engine on first sight of an identity. */
  @Override
  public OptionalLong row() {
    return OptionalLong.empty();
  }

  @Override
  public Rank rank() {
    return rank;
  }

  /** The profile's index along the record dimension of its file. */
  int position() {
    return position;
  }

  @Override
  public NdArray read(String array, long[] originInRecord, int[] count) {
    return file.read(position, array, originInRecord, count);
  }

  @Override
  public String toString() {
    return "Profile[" + identity + ", rank " + rank + "]";
  }
}
