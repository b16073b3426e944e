package dev.syncline.token;

import io.vertx.core.json.JsonObject;

/** Settings every verticle test starts from: a fixed endpoint key, so the start-up warning about a random one stays out of test logs. */
public final class TestConfig {
  public static final String ENDPOINT_KEY_1 = "1:" + "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE";
  public static final String ENDPOINT_KEY_2 = "2:" + "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI";

  private TestConfig() {
  }

  public static JsonObject base() {
    return new JsonObject().put("push_endpoint_keys", ENDPOINT_KEY_1);
  }
}
