package io.zarrsync.api;

/**
 * A source file cannot be used: it is not NetCDF, it is damaged, or it does not fit its collection.
 * The engine quarantines the file with {@link #reason()} and goes on with the rest; the user fixes
 * or replaces the file.
 */
public class InvalidSourceFileException extends ZarrsyncException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String reason;

  public InvalidSourceFileException(String source, String reason) {
    this(source, reason, null);
  }

  public InvalidSourceFileException(String source, String reason, Throwable cause) {
    super(source + ": " + reason, cause);
    this.source = source;
    this.reason = reason;
  }

  /** The file (path or key) that was rejected. */
  public String source() {
    return source;
  }

  /** Why it was rejected, without the file name. */
  public String reason() {
    return reason;
  }
}
