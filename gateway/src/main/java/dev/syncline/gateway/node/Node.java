package dev.syncline.gateway.node;

import dev.syncline.contracts.config.NodeIdentity;
import dev.syncline.gateway.http.GatewaySettings;
import dev.syncline.gateway.http.GatewayVerticle;
import dev.syncline.push.PushVerticle;
import dev.syncline.push.live.LiveVerticle;
import dev.syncline.storage.StorageVerticle;
import dev.syncline.token.TokenVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Syncline node: a clustered Vert.x instance with the token, storage, push and gateway verticles deployed in
 * that order, each ready before the next starts.
 */
public final class Node implements ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;
  private final PrometheusMeterRegistry registry;
  /** One of the gateway instances, all listening on the same two ports. */
  private GatewayVerticle gateway;
  private String gatewayDeployment;

  private Node(Vertx vertx, HazelcastClusterManager clusterManager, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.registry = registry;
  }

  /** Joins the cluster and deploys every verticle; fails (having released everything) if any part cannot start. */
  public static Future<Node> start(JsonObject config) {
    ClusterSettings cluster = ClusterSettings.from(config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfigs.of(cluster));
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(GatewaySettings.from(config).eventLoops())
        .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)))
        .setEventBusOptions(new EventBusOptions()
            .setHost(cluster.host())
            .setClusterPublicHost(cluster.host())
            .setPort(cluster.busPort()));
    return Vertx.builder()
        .with(options)
        .withClusterManager(manager)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .buildClustered()
        .compose(vertx -> new Node(vertx, manager, registry).deploy(config));
  }

  private Future<Node> deploy(JsonObject config) {
    DeploymentOptions options = new DeploymentOptions()
        .setConfig(config.copy().put(NodeIdentity.KEY, clusterManager.getNodeId()));
    PushVerticle push = new PushVerticle();
    LiveVerticle live = new LiveVerticle();
    AtomicInteger storageInFlight = new AtomicInteger();
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    Supplier<GatewayVerticle> gatewayInstance = () -> {
      GatewayVerticle instance = new GatewayVerticle(this, registry, push.sockets(), live.sockets(),
          storageInFlight);
      gateways.add(instance);
      return instance;
    };
    // Several instances share the listeners, and Vert.x spreads their connections over the instances' event loops.
    DeploymentOptions gatewayOptions = new DeploymentOptions(options)
        .setInstances(GatewaySettings.from(config).httpInstances());
    PushRoutesJanitor.watch(vertx, clusterManager);
    return vertx.deployVerticle(new TokenVerticle(), options)
        .compose(id -> vertx.deployVerticle(new StorageVerticle(), options))
        .compose(id -> vertx.deployVerticle(push, options))
        .compose(id -> vertx.deployVerticle(live, options))
        .compose(id -> vertx.deployVerticle(gatewayInstance, gatewayOptions))
        .map(id -> {
          gatewayDeployment = id;
          gateway = gateways.get(0);
          LOG.info("Node {} is up, serving {}; cluster has {} member(s)", nodeId(), gateway.describe(), members());
          return this;
        })
        .recover(failure -> vertx.close().transform(closed -> Future.failedFuture(failure)));
  }

  /**
   * Stops the gateway first (no new requests, in-flight ones finish), then the other verticles, leaves the cluster
   * and closes the database pool.
   */
  public Future<Void> close() {
    Future<Void> gatewayStopped = gatewayDeployment == null
        ? Future.succeededFuture()
        : vertx.undeploy(gatewayDeployment);
    // The returned future must not belong to a Vert.x context: once vertx.close() completes, the event loops are
    // gone and a context-bound future could never tell its listeners.
    Promise<Void> stopped = Promise.promise();
    gatewayStopped.onComplete(undeployed -> vertx.close().onComplete(stopped));
    return stopped.future();
  }

  public Vertx vertx() {
    return vertx;
  }

  public int httpPort() {
    return gateway.httpPort();
  }

  public int backendPort() {
    return gateway.backendPort();
  }

  @Override
  public String nodeId() {
    return clusterManager.getNodeId();
  }

  @Override
  public int members() {
    return clusterManager.isActive() ? clusterManager.getNodes().size() : 0;
  }

  @Override
  public List<String> nodeIds() {
    return clusterManager.isActive() ? List.copyOf(clusterManager.getNodes()) : List.of(nodeId());
  }

  @Override
  public boolean active() {
    return clusterManager.isActive();
  }
}
