package dev.syncline.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** An application server posting to push endpoints, with an ES256 VAPID key of its own. */
public final class WebPushSender {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair keys;

  public WebPushSender() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The uncompressed P-256 public key, base64url: what a subscription's applicationServerKey is. */
  public String publicKey() {
    ECPublicKey key = (ECPublicKey) keys.getPublic();
    byte[] point = new byte[65];
    point[0] = 4;
    copy(key.getW().getAffineX(), point, 1);
    copy(key.getW().getAffineY(), point, 33);
    return URL.encodeToString(point);
  }

  /** {@code vapid t=..., k=...} for the given audience (the endpoint's origin), valid for 12 hours. */
  public String vapid(String audience) {
    String header = URL.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
    long exp = System.currentTimeMillis() / 1000 + 12 * 3600;
    String claims = URL.encodeToString(("{\"aud\":\"" + audience + "\",\"exp\":" + exp
        + ",\"sub\":\"mailto:it@example.com\"}").getBytes(StandardCharsets.UTF_8));
    try {
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(keys.getPrivate());
      signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
      return "vapid t=" + header + "." + claims + "." + URL.encodeToString(signature.sign()) + ", k=" + publicKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** POSTs {@code body} (may be null) with the given headers (name, value, ...). */
  public static HttpResponse<String> post(String url, byte[] body, String... headers) {
    return send("POST", url, body, headers);
  }

  /** POSTs an aes128gcm-labelled body with a TTL. */
  public static HttpResponse<String> post(String url, int ttl, byte[] body, String... headers) {
    List<String> all = new ArrayList<>(List.of("TTL", String.valueOf(ttl)));
    if (body != null) {
      all.addAll(List.of("Content-Encoding", "aes128gcm"));
    }
    all.addAll(List.of(headers));
    return send("POST", url, body, all.toArray(String[]::new));
  }

  public static HttpResponse<String> send(String method, String url, byte[] body, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    try {
      return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The URL with its scheme, host and port replaced: the same endpoint through another node. */
  public static String via(String endpoint, int port) {
    URI uri = URI.create(endpoint);
    return "http://127.0.0.1:" + port + uri.getRawPath();
  }

  private static void copy(BigInteger value, byte[] into, int offset) {
    byte[] bytes = value.toByteArray();
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, into, offset + 32 - length, length);
  }
}
