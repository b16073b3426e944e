package dev.syncline.contracts.errors;

import io.vertx.core.json.JsonObject;

/**
 * A refusal that already knows its Kinto error: thrown or failed with inside a node, rendered once at the edge.
 */
public final class SynclineException extends RuntimeException {
  private final ErrorCode code;
  private final transient Object details;

  public SynclineException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public SynclineException(ErrorCode code, String message, Object details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
  }

  public ErrorCode code() {
    return code;
  }

  /** JSON-able extra context ({@link JsonObject}, {@code JsonArray}) or null. */
  public Object details() {
    return details;
  }
}
