package dev.syncline.gateway.kinto;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One request to the Kinto API, from the wire or from a batch: the path is relative to {@code /v1}, the query is
 * decoded, the body is raw (null when absent).
 */
public record ApiRequest(HttpMethod method, String path, MultiMap query, MultiMap headers, Buffer body) {

  public String header(String name) {
    return headers.get(name);
  }
}
