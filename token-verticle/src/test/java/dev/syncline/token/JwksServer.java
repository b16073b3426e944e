package dev.syncline.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A provider's JWKS endpoint on a free local port, whose keys a test can rotate and whose fetches it counts. */
public final class JwksServer {
  private final List<JWK> keys = new CopyOnWriteArrayList<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private final Map<Integer, Promise<Void>> waiting = new ConcurrentHashMap<>();
  private HttpServer server;

  public Future<JwksServer> start(Vertx vertx) {
    return vertx.createHttpServer()
        .requestHandler(this::serve)
        .listen(0, "127.0.0.1")
        .map(started -> {
          server = started;
          return this;
        });
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/jwks";
  }

  public void publish(JWK... published) {
    keys.clear();
    for (JWK key : published) {
      keys.add(key.toPublicJWK());
    }
  }

  public int fetches() {
    return fetches.get();
  }

  /** Completes when the n-th fetch has been answered. */
  public Future<Void> fetched(int n) {
    Promise<Void> promise = waiting.computeIfAbsent(n, k -> Promise.promise());
    if (fetches.get() >= n) {
      promise.tryComplete();
    }
    return promise.future();
  }

  private void serve(HttpServerRequest request) {
    String body = new JWKSet(List.copyOf(keys)).toString(true);
    request.response().putHeader("Content-Type", "application/json").end(body).onComplete(done -> {
      int n = fetches.incrementAndGet();
      waiting.computeIfAbsent(n, k -> Promise.promise()).tryComplete();
    });
  }
}
