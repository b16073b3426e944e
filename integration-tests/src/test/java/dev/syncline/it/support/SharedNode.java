package dev.syncline.it.support;

import dev.syncline.gateway.node.Node;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One running node for the API tests of a whole run, on its own database. Tests keep out of each other's way by
 * using buckets and users of their own ({@link #unique}), never by cleaning up.
 */
public final class SharedNode {
  public static final String JWT_SECRET = "integration-tests-hs256-secret-0123456789";
  /** An HS256 user listed in SYNCLINE_ACCOUNT_ADMINS. */
  public static final String ACCOUNT_ADMIN = "accounts-admin";
  private static Node node;

  private SharedNode() {
  }

  public static synchronized Node get() {
    if (node == null) {
      JsonObject config = new TestCluster(1).nodeConfig(0, PostgresFixture.shared().newDatabase().url())
          .put("jwt_secret", JWT_SECRET)
          .put("batch_max_requests", 10)
          .put("max_fetch_size", 50)
          .put("account_admins", "jwt:" + ACCOUNT_ADMIN);
      node = TestCluster.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> TestCluster.stop(node)));
    }
    return node;
  }

  public static KintoClient client(String user) {
    return new KintoClient("http://127.0.0.1:" + get().httpPort(), user == null ? null : Jwt.forUser(JWT_SECRET, user));
  }

  public static String base() {
    return "http://127.0.0.1:" + get().httpPort();
  }

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
