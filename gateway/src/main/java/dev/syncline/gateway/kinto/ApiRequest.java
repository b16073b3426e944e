package dev.syncline.gateway.kinto;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One request to the Kinto API, from the wire or from a batch: the path is relative to {@code /v1}, the query is
 * decoded, the body is raw (null when absent). The client address (null when unknown) is the connection's peer,
 * never a header a client could set; password failures are counted against it.
 */
public record ApiRequest(HttpMethod method, String path, MultiMap query, MultiMap headers, Buffer body,
    String clientAddress) {

  public ApiRequest(HttpMethod method, String path, MultiMap query, MultiMap headers, Buffer body) {
    this(method, path, query, headers, body, null);
  }

  public String header(String name) {
    return headers.get(name);
  }
}
