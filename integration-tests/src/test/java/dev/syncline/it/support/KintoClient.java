package dev.syncline.it.support;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Requests to one node's /v1 API as one user (or anonymously), the way a Kinto client sends them. */
public final class KintoClient {
  private final String base;
  private final String authorization;

  public KintoClient(String base, String token) {
    this(base, token, token == null ? null : "Bearer " + token);
  }

  private KintoClient(String base, String token, String authorization) {
    this.base = base;
    this.authorization = authorization;
  }

  /** A client sending this {@code Authorization} header as it is (Basic, or anything a test wants to try). */
  public static KintoClient withAuthorization(String base, String authorization) {
    return new KintoClient(base, null, authorization);
  }

  /** A client of an account, with HTTP Basic. */
  public static KintoClient basic(String base, String id, String password) {
    return withAuthorization(base, "Basic " + java.util.Base64.getEncoder()
        .encodeToString((id + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  public String url(String path) {
    return path.startsWith("http") ? path : base + "/v1" + path;
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  public HttpResponse<String> put(String path, JsonObject body, String... headers) {
    return send("PUT", path, body == null ? null : body.encode(), headers);
  }

  public HttpResponse<String> post(String path, JsonObject body, String... headers) {
    return send("POST", path, body == null ? null : body.encode(), headers);
  }

  public HttpResponse<String> patch(String path, String body, String contentType, String... headers) {
    List<String> all = new ArrayList<>(List.of(headers));
    all.add("Content-Type");
    all.add(contentType);
    return send("PATCH", path, body, all.toArray(String[]::new));
  }

  public HttpResponse<String> delete(String path, String... headers) {
    return send("DELETE", path, null, headers);
  }

  public HttpResponse<String> head(String path) {
    return send("HEAD", path, null);
  }

  public HttpResponse<String> send(String method, String path, String body, String... headers) {
    List<String> all = new ArrayList<>(List.of(headers));
    if (authorization != null) {
      all.add("Authorization");
      all.add(authorization);
    }
    if (body != null && !all.contains("Content-Type")) {
      all.add("Content-Type");
      all.add("application/json");
    }
    return Http.send(method, url(path), body, all.toArray(String[]::new));
  }

  /** PUTs a bucket and a collection in it, failing the test if either is refused. */
  public void collection(String bucket, String collection) {
    expect(put("/buckets/" + bucket, new JsonObject()), 201);
    expect(put("/buckets/" + bucket + "/collections/" + collection, new JsonObject()), 201);
  }

  public static HttpResponse<String> expect(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new AssertionError("expected " + status + " but got " + response.statusCode() + ": " + response.body());
    }
    return response;
  }

  public static JsonObject data(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("data");
  }

  public static long etag(HttpResponse<String> response) {
    return Long.parseLong(response.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
  }
}
