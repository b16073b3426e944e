package dev.syncline.storage.listing;

import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of a list starts: the sort-key values of the last object returned, the list timestamp the
 * first page was read at (later pages never show objects changed after it, so a sync that pages while others
 * write picks those changes up next time instead of skipping them), and a fingerprint of the query it belongs to.
 */
public record PageToken(long snapshot, JsonArray lastKeys, int queryHash) {

  public String encode() {
    JsonObject json = new JsonObject().put("s", snapshot).put("k", lastKeys).put("q", queryHash);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static PageToken decode(String token, int expectedQueryHash) {
    try {
      JsonObject json = new JsonObject(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      PageToken decoded = new PageToken(json.getLong("s"), json.getJsonArray("k"), json.getInteger("q"));
      if (decoded.lastKeys == null || decoded.queryHash != expectedQueryHash) {
        throw invalid();
      }
      return decoded;
    } catch (RuntimeException e) {
      throw invalid();
    }
  }

  private static SynclineException invalid() {
    return new SynclineException(ErrorCode.INVALID_PARAMETERS, "_token is invalid or belongs to another query",
        new JsonArray().add(new JsonObject().put("location", "querystring").put("name", "_token")
            .put("description", "Invalid pagination token")));
  }
}
