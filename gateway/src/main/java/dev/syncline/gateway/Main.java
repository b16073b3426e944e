package dev.syncline.gateway;

import dev.syncline.contracts.config.SettingException;
import dev.syncline.gateway.config.NodeConfig;
import dev.syncline.gateway.http.GatewaySettings;
import dev.syncline.gateway.logging.LogFormat;
import dev.syncline.gateway.node.ClusterSettings;
import dev.syncline.gateway.node.Node;
import dev.syncline.gateway.webpush.WebPushSettings;
import dev.syncline.push.PushSettings;
import dev.syncline.push.live.LiveSettings;
import dev.syncline.storage.StorageSettings;
import dev.syncline.storage.push.PushStoreSettings;
import dev.syncline.token.TokenSettings;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** Starts one node from {@code --conf FILE} and {@code SYNCLINE_*} variables; SIGTERM stops it gracefully. */
public final class Main {
  private static final int EXIT_BAD_SETTINGS = 2;
  private static final int EXIT_START_FAILED = 1;

  private Main() {
  }

  public static void main(String[] args) {
    JsonObject config;
    GatewaySettings gateway;
    try {
      config = NodeConfig.load(List.of(args), System.getenv());
      LogFormat.from(config).install();
      // Every verticle validates its own settings again at start; checking them here first means a typo stops
      // the node before it joins a cluster or starts a database, with one line that names the setting.
      gateway = GatewaySettings.from(config);
      ClusterSettings.from(config);
      StorageSettings.from(config);
      TokenSettings.from(config);
      PushSettings.from(config);
      PushStoreSettings.from(config);
      WebPushSettings.from(config);
      LiveSettings.from(config);
    } catch (SettingException e) {
      System.err.println("syncline: " + e.getMessage());
      System.exit(EXIT_BAD_SETTINGS);
      return;
    }

    var log = LoggerFactory.getLogger(Main.class);
    Node node;
    try {
      node = Node.start(config).await();
    } catch (Exception e) {
      log.error("The node did not start: {}", e.getMessage());
      log.debug("Start failure", e);
      System.exit(EXIT_START_FAILED);
      return;
    }
    long shutdownSeconds = gateway.shutdownSeconds() + 10L;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node, shutdownSeconds), "syncline-shutdown"));
  }

  private static void stop(Node node, long timeoutSeconds) {
    var log = LoggerFactory.getLogger(Main.class);
    log.info("Stopping: no new requests; waiting up to {}s for in-flight ones", timeoutSeconds);
    try {
      node.close().await(timeoutSeconds, TimeUnit.SECONDS);
      log.info("Stopped: left the cluster and closed the database pool");
    } catch (Exception e) {
      log.warn("The node did not stop within {}s: {}", timeoutSeconds, e.getMessage());
    }
  }
}
