package dev.syncline.gateway.kinto;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.errors.ErrorCode;
import dev.syncline.contracts.errors.SynclineException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code If-Match} and {@code If-None-Match}: {@code *} or a quoted timestamp, nothing else. */
final class Preconditions {
  private Preconditions() {
  }

  static JsonObject addTo(JsonObject storageRequest, ApiRequest request) {
    put(storageRequest, StorageBus.IF_MATCH, "If-Match", request.header("If-Match"));
    put(storageRequest, StorageBus.IF_NONE_MATCH, "If-None-Match", request.header("If-None-Match"));
    return storageRequest;
  }

  private static void put(JsonObject storageRequest, String field, String header, String value) {
    if (value == null) {
      return;
    }
    String trimmed = value.trim();
    if (trimmed.equals("*")) {
      storageRequest.put(field, "*");
    } else if (trimmed.matches("\"\\d{1,18}\"")) {
      storageRequest.put(field, Long.parseLong(trimmed.substring(1, trimmed.length() - 1)));
    } else {
      throw new SynclineException(ErrorCode.INVALID_PARAMETERS, header + " in headers: expected * or a quoted timestamp",
          new JsonArray().add(new JsonObject().put("location", "header").put("name", header)
              .put("description", "expected * or a quoted timestamp such as \"1234\"")));
    }
  }
}
