import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load client for the storage API. For each operation and concurrency it measures Syncline over HTTP, then the
 * ceiling: pgbench running the SQL statements Syncline runs for that operation, on the same database with the same
 * number of clients. Prints throughput, p50/p99 and the ratio of the two throughputs.
 *
 * <p>Run through run.sh, which starts the node: java StorageBench.java BASE_URL JWT_SECRET PG_PORT SECONDS C...
 */
public final class StorageBench {
  private static final String BUCKET = "/v1/buckets/bench";
  private static final String RECORDS = BUCKET + "/collections/c/records";
  private static final String LISTED = BUCKET + "/collections/list/records";
  private static final int UPDATE_TARGETS = 1000;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static String base;
  private static String token;
  private static int pgPort;

  interface Operation {
    int call(int client, long iteration) throws Exception;
  }

  record Result(long operations, double seconds, double p50Ms, double p99Ms) {
    double throughput() {
      return operations / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    base = args[0];
    token = jwt(args[1], "bench");
    pgPort = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    List<Integer> concurrency = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      concurrency.add(Integer.parseInt(args[i]));
    }
    setUp();
    System.out.printf(Locale.ROOT, "%-14s %5s %12s %9s %9s %12s %7s%n", "operation", "conc", "http ops/s",
        "p50 ms", "p99 ms", "pgbench tps", "ratio");
    bench("create", seconds, concurrency, StorageBench::create, createSql());
    bench("update", seconds, concurrency, StorageBench::update, updateSql());
    bench("read", seconds, concurrency, StorageBench::read, readSql());
    bench("since-1000", seconds, concurrency, StorageBench::since, sinceSql());
    bench("batch-25", seconds, concurrency, StorageBench::batch, batchSql());
  }

  private static void bench(String name, int seconds, List<Integer> concurrency, Operation operation, String sql)
      throws Exception {
    run(operation, 4, 1);
    for (int clients : concurrency) {
      Result http = run(operation, clients, seconds);
      double tps = pgbench(sql, clients, seconds);
      System.out.printf(Locale.ROOT, "%-14s %5d %12.1f %9.2f %9.2f %12.1f %7.2f%n", name, clients,
          http.throughput(), http.p50Ms(), http.p99Ms(), tps, http.throughput() / tps);
    }
  }

  // ------------------------------------------------------------ operations

  private static void setUp() throws Exception {
    expect(send("PUT", BUCKET, "{}"), 201, 200);
    expect(send("PUT", BUCKET + "/collections/c", "{}"), 201, 200);
    expect(send("PUT", BUCKET + "/collections/list", "{}"), 201, 200);
    for (int start = 0; start < UPDATE_TARGETS; start += 12) {
      StringBuilder batch = new StringBuilder("{\"defaults\":{\"method\":\"PUT\"},\"requests\":[");
      for (int i = start; i < Math.min(start + 12, UPDATE_TARGETS); i++) {
        batch.append(i > start ? "," : "").append("{\"path\":\"").append(RECORDS.substring(3)).append("/u").append(i)
            .append("\",\"body\":{\"data\":{\"title\":\"target\",\"n\":").append(i).append("}}},")
            .append("{\"path\":\"").append(LISTED.substring(3)).append("/l").append(i)
            .append("\",\"body\":{\"data\":{\"title\":\"listed\",\"n\":").append(i).append("}}}");
      }
      expect(send("POST", "/v1/batch", batch.append("]}").toString()), 200);
    }
  }

  private static int create(int client, long iteration) throws Exception {
    return send("PUT", RECORDS + "/" + UUID.randomUUID(), "{\"data\":{\"title\":\"new\",\"n\":" + iteration + "}}",
        "If-None-Match", "*").statusCode();
  }

  private static int update(int client, long iteration) throws Exception {
    int target = ThreadLocalRandom.current().nextInt(UPDATE_TARGETS);
    return send("PUT", RECORDS + "/u" + target, "{\"data\":{\"title\":\"updated\",\"n\":" + iteration + "}}")
        .statusCode();
  }

  private static int read(int client, long iteration) throws Exception {
    return send("GET", RECORDS + "/u" + ThreadLocalRandom.current().nextInt(UPDATE_TARGETS), null).statusCode();
  }

  private static int since(int client, long iteration) throws Exception {
    HttpResponse<String> response = send("GET", LISTED + "?_since=0&_sort=-last_modified", null);
    if (response.statusCode() == 200 && !response.body().contains("\"id\":\"l999\"")) {
      throw new IllegalStateException("listing did not return all 1,000 records");
    }
    return response.statusCode();
  }

  private static int batch(int client, long iteration) throws Exception {
    StringBuilder batch = new StringBuilder("{\"defaults\":{\"method\":\"PUT\"},\"requests\":[");
    for (int i = 0; i < 25; i++) {
      batch.append(i > 0 ? "," : "").append("{\"path\":\"").append(RECORDS.substring(3)).append('/')
          .append(UUID.randomUUID()).append("\",\"body\":{\"data\":{\"n\":").append(i).append("}}}");
    }
    return send("POST", "/v1/batch", batch.append("]}").toString()).statusCode();
  }

  // ------------------------------------------------------------ measuring

  private static Result run(Operation operation, int clients, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<List<Long>> latencies = new ArrayList<>();
    List<Future<?>> running = new ArrayList<>();
    AtomicLong failures = new AtomicLong();
    long started = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      List<Long> mine = new ArrayList<>();
      latencies.add(mine);
      int client = c;
      running.add(pool.submit(() -> {
        long iteration = 0;
        while (System.nanoTime() < deadline) {
          long t0 = System.nanoTime();
          try {
            int status = operation.call(client, iteration++);
            if (status >= 300) {
              failures.incrementAndGet();
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          }
          mine.add(System.nanoTime() - t0);
        }
        return null;
      }));
    }
    for (Future<?> future : running) {
      future.get();
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " requests failed");
    }
    List<Long> all = new ArrayList<>();
    latencies.forEach(all::addAll);
    Collections.sort(all);
    return new Result(all.size(), elapsed, percentile(all, 0.50), percentile(all, 0.99));
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }

  private static double pgbench(String script, int clients, int seconds) throws Exception {
    Path file = Files.createTempFile("syncline-bench", ".sql");
    Files.writeString(file, script);
    Process process = new ProcessBuilder("pgbench", "-n", "-M", "prepared", "-h", "127.0.0.1", "-p",
        String.valueOf(pgPort), "-U", "postgres", "-c", String.valueOf(clients), "-j",
        String.valueOf(Math.min(clients, 2)), "-T", String.valueOf(seconds), "-f", file.toString(), "postgres")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    Files.deleteIfExists(file);
    Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
    if (!tps.find()) {
      throw new IllegalStateException("pgbench failed:\n" + output);
    }
    return Double.parseDouble(tps.group(1));
  }

  // ------------------------------------------- the SQL Syncline runs, per op

  // pgbench reads ":name" as a variable, so the principal's colon is spelled chr(58).
  private static final String USER = "('jwt' || chr(58) || 'bench')";
  private static final String PRINCIPALS = "ARRAY['system.Everyone','system.Authenticated'," + USER + "]";
  // Statements Syncline sends together (pipelined on its connection) are pipelined here too.
  private static final String SCOPE = """
      \\startpipeline
      WITH member_of AS (
        SELECT parent_id || '/groups/' || id AS uri FROM objects
        WHERE resource_name = 'group' AND NOT deleted AND data -> 'members' ?| %1$s)
      SELECT uri AS object_id, NULL AS permission FROM member_of
      UNION ALL
      SELECT object_id, permission FROM access_control_entries
      WHERE object_id = ANY(ARRAY[%2$s, '/buckets/bench/collections/c', '/buckets/bench'])
        AND (principal = ANY(%1$s) OR principal IN (SELECT uri FROM member_of));
      SELECT parent_id || '/' || resource_name || '/' || id FROM objects
      WHERE NOT deleted AND (parent_id, resource_name, id) IN (
        SELECT * FROM unnest(ARRAY['', '/buckets/bench'], ARRAY['bucket', 'collection'], ARRAY['bench', 'c']));
      \\endpipeline
      """;

  /** A PUT of a record: a creation saves its permissions, an update reads them back for the answer. */
  private static String write(String id, boolean creation) {
    String permissions = creation ? """
        WITH granted AS (
          SELECT p AS permission, pr AS principal FROM unnest(ARRAY['write'], ARRAY[%2$s]) AS g(p, pr)),
        dropped AS (
          DELETE FROM access_control_entries
          WHERE object_id = '/buckets/bench/collections/c/records/' || %1$s AND permission = ANY(ARRAY['write'])
            AND (permission, principal) NOT IN (SELECT permission, principal FROM granted))
        INSERT INTO access_control_entries (object_id, permission, principal)
        SELECT '/buckets/bench/collections/c/records/' || %1$s, permission, principal FROM granted
        ON CONFLICT DO NOTHING;
        """ : """
        SELECT permission, principal FROM access_control_entries
          WHERE object_id = '/buckets/bench/collections/c/records/' || %1$s ORDER BY permission, principal;
        """;
    return "BEGIN;\n" + SCOPE.formatted(PRINCIPALS, "'/buckets/bench/collections/c/records/' || " + id) + ("""
        \\startpipeline
        INSERT INTO timestamps (parent_id, resource_name, last_modified)
          VALUES ('/buckets/bench/collections/c', 'record', (extract(epoch from clock_timestamp()) * 1000)::bigint)
          ON CONFLICT (parent_id, resource_name) DO UPDATE SET last_modified = timestamps.last_modified
          RETURNING last_modified;
        SELECT id, last_modified, deleted, data FROM objects
          WHERE parent_id = '/buckets/bench/collections/c' AND resource_name = 'record' AND id = %1$s FOR UPDATE;
        \\endpipeline
        INSERT INTO timestamps (parent_id, resource_name, last_modified)
          VALUES ('/buckets/bench/collections/c', 'record', (extract(epoch from clock_timestamp()) * 1000)::bigint)
          ON CONFLICT (parent_id, resource_name)
          DO UPDATE SET last_modified = GREATEST(timestamps.last_modified + 1, EXCLUDED.last_modified)
          RETURNING last_modified;
        """ + (creation ? "\\startpipeline\n" : "") + """
        INSERT INTO objects (parent_id, resource_name, id, last_modified, deleted, data)
          VALUES ('/buckets/bench/collections/c', 'record', %1$s,
                  (extract(epoch from clock_timestamp()) * 1000)::bigint, FALSE, '{"title":"new","n":1}')
          ON CONFLICT (parent_id, resource_name, id)
          DO UPDATE SET last_modified = EXCLUDED.last_modified, deleted = FALSE, data = EXCLUDED.data;
        """ + permissions + (creation ? "\\endpipeline\n" : "") + "COMMIT;\n").formatted(id, USER);
  }

  private static String createSql() {
    return "\\set r random(1, 2000000000)\n" + write("('pg-' || :client_id || '-' || :r)", true);
  }

  private static String updateSql() {
    return "\\set r random(0, " + (UPDATE_TARGETS - 1) + ")\n" + write("('u' || :r)", false);
  }

  private static String readSql() {
    return "\\set r random(0, " + (UPDATE_TARGETS - 1) + ")\nBEGIN;\n"
        + SCOPE.formatted(PRINCIPALS, "'/buckets/bench/collections/c/records/u' || :r") + """
        SELECT id, last_modified, deleted, data FROM objects
          WHERE parent_id = '/buckets/bench/collections/c' AND resource_name = 'record' AND id = 'u' || :r;
        SELECT permission, principal FROM access_control_entries
          WHERE object_id = '/buckets/bench/collections/c/records/u' || :r ORDER BY permission, principal;
        COMMIT;
        """;
  }

  private static String sinceSql() {
    return "BEGIN;\n" + SCOPE.formatted(PRINCIPALS, "'/buckets/bench/collections/list'").replace("/c'", "/list'")
        .replace("ARRAY['bench', 'c']", "ARRAY['bench', 'list']") + """
        SELECT last_modified FROM timestamps WHERE parent_id = '/buckets/bench/collections/list' AND resource_name = 'record';
        SELECT o.id, o.last_modified, o.deleted, o.data FROM objects o
          WHERE o.parent_id = '/buckets/bench/collections/list' AND o.resource_name = 'record'
            AND o.last_modified <= 9223372036854775807 AND o.last_modified > 0
          ORDER BY o.last_modified DESC, o.id DESC LIMIT 10001;
        COMMIT;
        """;
  }

  private static String batchSql() {
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      script.append("\\set r").append(i).append(" random(1, 2000000000)\n");
    }
    for (int i = 0; i < 25; i++) {
      script.append(write("('pgb-' || :client_id || '-' || :r" + i + ")", true));
    }
    return script.toString();
  }

  // ------------------------------------------------------------------ HTTP

  private static HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> response, int... statuses) {
    for (int status : statuses) {
      if (response.statusCode() == status) {
        return;
      }
    }
    throw new IllegalStateException("setup failed: " + response.statusCode() + " " + response.body());
  }

  private static String jwt(String secret, String subject) throws Exception {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    long exp = System.currentTimeMillis() / 1000 + 86_400;
    String payload = url.encodeToString(("{\"sub\":\"" + subject + "\",\"exp\":" + exp + "}")
        .getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return header + "." + payload + "." + url.encodeToString(mac.doFinal((header + "." + payload)
        .getBytes(StandardCharsets.UTF_8)));
  }
}
