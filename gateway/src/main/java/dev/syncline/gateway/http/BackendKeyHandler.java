package dev.syncline.gateway.http;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Lets a request on the backend listener through only with a configured {@code X-Backend-Key}.
 *
 * <p>Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken tells nothing about
 * how much of a guess was right, nor about a key's length.
 */
final class BackendKeyHandler implements Handler<RoutingContext> {
  static final String HEADER = "X-Backend-Key";

  private final List<byte[]> keyDigests;

  BackendKeyHandler(List<String> keys) {
    this.keyDigests = keys.stream().map(BackendKeyHandler::digest).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (keyDigests.isEmpty()) {
      ctx.fail(new SynclineException(ErrorCode.MISSING_RESOURCE,
          "The backend API is disabled: set SYNCLINE_BACKEND_KEY to enable it"));
      return;
    }
    String presented = ctx.request().getHeader(HEADER);
    if (presented == null || presented.isEmpty()) {
      ctx.fail(new SynclineException(ErrorCode.MISSING_AUTH, "Please provide an " + HEADER + " header"));
      return;
    }
    byte[] candidate = digest(presented);
    boolean accepted = false;
    for (byte[] key : keyDigests) {
      accepted |= MessageDigest.isEqual(key, candidate);
    }
    if (accepted) {
      ctx.next();
    } else {
      ctx.fail(new SynclineException(ErrorCode.INVALID_AUTH, "The " + HEADER + " header is not valid"));
    }
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
