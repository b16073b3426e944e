package dev.syncline.contracts.errors;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The text of a bus failure that must carry Kinto {@code details} (a 412's current object, a 404's id): a JSON
 * object {@code {"message", "details"}}. Plain failures are plain text; both are read back by {@link #read}.
 */
public final class FailureMessages {
  private static final String MESSAGE = "message";
  private static final String DETAILS = "details";

  private FailureMessages() {
  }

  public static String write(String message, Object details) {
    return new JsonObject().put(MESSAGE, message).put(DETAILS, details).encode();
  }

  public static String write(SynclineException refusal) {
    return refusal.details() == null ? refusal.getMessage() : write(refusal.getMessage(), refusal.details());
  }

  /** Rebuilds the refusal a consumer failed with. */
  public static SynclineException read(ErrorCode code, String text) {
    if (text != null && text.startsWith("{")) {
      try {
        JsonObject json = new JsonObject(text);
        if (json.containsKey(MESSAGE)) {
          return new SynclineException(code, json.getString(MESSAGE), json.getValue(DETAILS));
        }
      } catch (DecodeException | ClassCastException e) {
        // Not ours: fall through and keep the text as it is.
      }
    }
    return new SynclineException(code, text);
  }
}
