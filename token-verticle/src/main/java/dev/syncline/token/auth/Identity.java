package dev.syncline.token.auth;

import dev.syncline.contracts.bus.TokenBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Who a verified credential speaks for, and until when the credential itself says it is valid.
 *
 * @param userId the user's principal, {@code prefix:subject}
 * @param principals every principal the request carries, {@code system.Everyone} first
 * @param expiresAt the token's {@code exp}
 */
public record Identity(String userId, List<String> principals, Instant expiresAt) {
  public Identity {
    principals = List.copyOf(principals);
  }

  public static Identity of(String userId, Instant expiresAt) {
    return new Identity(userId, List.of(TokenBus.EVERYONE, TokenBus.AUTHENTICATED, userId), expiresAt);
  }

  public JsonObject toReply() {
    JsonObject reply = new JsonObject().put(TokenBus.USER_ID, userId).put(TokenBus.PRINCIPALS,
        new JsonArray(principals));
    if (expiresAt != null) {
      reply.put(TokenBus.EXPIRES_AT, expiresAt.getEpochSecond());
    }
    return reply;
  }
}
