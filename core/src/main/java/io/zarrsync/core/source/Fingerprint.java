package io.zarrsync.core.source;

/**
 * What identifies one version of a source object: its size, modification time and (where the source
 * has one) etag. A changed fingerprint means a changed file; the engine re-reads it.
 *
 * @param size bytes
 * @param lastModifiedMillis modification time, epoch milliseconds
 * @param etag the object store's entity tag, or "" if the source has none
 */
public record Fingerprint(long size, long lastModifiedMillis, String etag) {
  public Fingerprint {
    etag = etag == null ? "" : etag;
  }

  @Override
  public String toString() {
    return size + "B@" + lastModifiedMillis + (etag.isEmpty() ? "" : "/" + etag);
  }
}
