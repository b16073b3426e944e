package dev.syncline.push.live;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Subscription tokens the backend issues and clients redeem once ({@code datasync.acquire}), kept in a cluster map
 * so that any node redeems a token any node issued. Removal is the redemption, so a token cannot be used twice even
 * by two nodes at once; entries expire with the token.
 */
final class Authorizations {
  private static final String MAP = "syncline.live.authorizations";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LiveSettings settings;
  private final Future<AsyncMap<String, JsonObject>> tokens;

  Authorizations(Vertx vertx, LiveSettings settings) {
    this.settings = settings;
    this.tokens = vertx.sharedData().getAsyncMap(MAP);
  }

  /** {@code {"items": [{"dealer", "query"}], "ttl_seconds"?}} to {@code {"token", "expires_at"}}. */
  Future<JsonObject> issue(JsonObject request) {
    if (!(request.getValue("items") instanceof JsonArray items) || items.isEmpty()
        || items.size() > settings.maxSubscriptions()) {
      return refuse("items is a list of 1 to " + settings.maxSubscriptions() + " {\"dealer\", \"query\"}");
    }
    for (Object item : items) {
      try {
        items(new JsonArray().add(item));
      } catch (IllegalArgumentException e) {
        return refuse(e.getMessage());
      }
    }
    Object ttl = request.getValue("ttl_seconds", settings.authorizationSeconds());
    if (!(ttl instanceof Integer seconds) || seconds < 1 || seconds > settings.authorizationSeconds()) {
      return refuse("ttl_seconds is an integer from 1 to " + settings.authorizationSeconds());
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    long expiresAt = System.currentTimeMillis() / 1000 + seconds;
    return tokens.compose(map -> map.put(token, new JsonObject().put("items", items.copy())
            .put("expires_at", expiresAt), seconds * 1000L))
        .map(stored -> new JsonObject().put("token", token).put("expires_at", expiresAt));
  }

  /** The items of a token, which is then used up; fails with errno 121 for an unknown, used or expired one. */
  Future<List<AcquiredSubscription.Item>> redeem(String token) {
    return tokens.compose(map -> map.remove(token))
        .compose(found -> {
          if (found == null || found.getLong("expires_at") <= System.currentTimeMillis() / 1000) {
            return Future.failedFuture(new SynclineException(ErrorCode.FORBIDDEN,
                "Unknown, used or expired subscription token"));
          }
          return Future.succeededFuture(items(found.getJsonArray("items")));
        });
  }

  private List<AcquiredSubscription.Item> items(JsonArray items) {
    List<AcquiredSubscription.Item> parsed = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof JsonObject entry) || !(entry.getValue("dealer") instanceof String name)) {
        throw new IllegalArgumentException("each item is {\"dealer\", \"query\"}");
      }
      Dealers.Dealer dealer = settings.dealers().named(name)
          .orElseThrow(() -> new IllegalArgumentException("no dealer named " + name + " in SYNCLINE_LIVE_DEALERS"));
      parsed.add(new AcquiredSubscription.Item(dealer, dealer.filter(entry.getValue("query"))));
    }
    return parsed;
  }

  private static <T> Future<T> refuse(String message) {
    return Future.failedFuture(new SynclineException(ErrorCode.INVALID_PARAMETERS, message));
  }
}
