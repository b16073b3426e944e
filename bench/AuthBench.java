import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Requests per second of an authenticated GET of one record, per scheme, as a ratio of the same GET made
 * anonymously. Standalone (JDK only): {@code java bench/AuthBench.java URL JWT_SECRET [SECONDS] [CLIENTS]}.
 *
 * <p>Against a node with the default cache, "account" is the cached Basic figure; against one started with
 * SYNCLINE_AUTH_CACHE_TTL_SECONDS=0 it is the uncached one (one Argon2id check per request). "hs256 fresh" signs
 * a new token per request, so it misses the cache on any node.
 */
public final class AuthBench {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: java AuthBench.java URL JWT_SECRET [SECONDS] [CLIENTS]");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    String secret = args[1];
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 8;

    String run = UUID.randomUUID().toString().substring(0, 8);
    String owner = "Bearer " + token(secret, "bench-owner-" + run, 0);
    String bucket = "bench-" + run;
    String record = base + "/v1/buckets/" + bucket + "/collections/c/records/r";
    expect(send("PUT", base + "/v1/buckets/" + bucket, "{}", owner), 201);
    expect(send("PUT", base + "/v1/buckets/" + bucket + "/collections/c", "{}", owner), 201);
    // Readable by everyone, so that the anonymous reference and every scheme read the very same record.
    expect(send("PUT", record, "{\"data\": {\"x\": 1}, \"permissions\": {\"read\": [\"system.Everyone\"]}}",
        owner), 201);
    String account = "bench-" + run;
    String password = "bench password " + run;
    expect(send("PUT", base + "/v1/accounts/" + account, "{\"data\": {\"password\": \"" + password + "\"}}",
        null), 201);
    String basic = "Basic " + Base64.getEncoder().encodeToString((account + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
    String hs = "Bearer " + token(secret, "bench-reader-" + run, 0);

    Map<String, IntFunction<String>> cases = new LinkedHashMap<>();
    cases.put("anonymous", i -> null);
    cases.put("hs256 same token", i -> hs);
    cases.put("hs256 fresh token", i -> "Bearer " + token(secret, "bench-reader-" + run, i));
    cases.put("account (Basic)", i -> basic);

    System.out.printf("%s, %d s per case, %d clients%n", base, seconds, clients);
    // Every path warmed up before anything is measured, so that JIT compilation does not favour later cases.
    for (IntFunction<String> c : cases.values()) {
      measure(record, c, 3, clients);
    }
    double reference = 0;
    for (Map.Entry<String, IntFunction<String>> c : cases.entrySet()) {
      double rate = measure(record, c.getValue(), seconds, clients);
      if (reference == 0) {
        reference = rate;
      }
      System.out.printf("%-20s %9.0f req/s   %5.2f of anonymous%n", c.getKey(), rate, rate / reference);
    }
    send("DELETE", base + "/v1/accounts/" + account, null, basic);
    send("DELETE", base + "/v1/buckets/" + bucket, null, owner);
  }

  private static double measure(String url, IntFunction<String> authorization, int seconds, int clients)
      throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    AtomicLong counter = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < clients; w++) {
      workers.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          int status = send("GET", url, null, authorization.apply((int) counter.incrementAndGet())).statusCode();
          if (status != 200) {
            throw new IllegalStateException("GET answered " + status);
          }
          done.incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static HttpResponse<String> send(String method, String url, String body, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + url + " failed", e);
    }
  }

  private static void expect(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException("expected " + status + ", got " + response.statusCode() + ": "
          + response.body());
    }
  }

  /** An HS256 token for sub; {@code nonce} makes each one distinct, so that no cache recognises it. */
  private static String token(String secret, String sub, long nonce) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = "{\"sub\":\"" + sub + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600)
        + ",\"jti\":\"" + nonce + "\"}";
    String payload = url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return header + "." + payload + "." + url.encodeToString(mac.doFinal((header + "." + payload)
          .getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
