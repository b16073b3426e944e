package dev.syncline.storage.objects;

import dev.syncline.contracts.bus.StorageBus;
import dev.syncline.contracts.bus.TokenBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Who makes a storage request: the user id (null when anonymous) and the principals the gateway vouched for. */
public record Caller(String userId, List<String> principals) {

  public static Caller from(JsonObject request) {
    List<String> principals = new ArrayList<>();
    principals.add(TokenBus.EVERYONE);
    JsonArray given = request.getJsonArray(StorageBus.PRINCIPALS, new JsonArray());
    for (Object principal : given) {
      if (principal instanceof String text && !principals.contains(text)) {
        principals.add(text);
      }
    }
    return new Caller(request.getString(StorageBus.USER_ID), List.copyOf(principals));
  }

  public boolean anonymous() {
    return userId == null || !principals.contains(TokenBus.AUTHENTICATED);
  }

  public Caller withGroups(List<String> groups) {
    List<String> all = new ArrayList<>(principals);
    groups.stream().filter(group -> !all.contains(group)).forEach(all::add);
    return new Caller(userId, List.copyOf(all));
  }
}
