package dev.syncline.storage.embedded;

import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server a node runs for itself when no external one is configured: real PostgreSQL binaries
 * (zonky), bound to loopback, with its data kept in the node's data directory across restarts.
 *
 * <p>A second node on the same machine shares the first one's server: if something already listens on the
 * configured port, this node connects to it instead of starting another. Blocking; call off the event loop.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final String SUPERUSER = "postgres";
  private static final String DATABASE = "postgres";

  private final EmbeddedPostgres server;
  private final int port;

  private EmbeddedDatabase(EmbeddedPostgres server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts a server in {@code dataDir} on {@code port}, or joins the one already there. */
  public static EmbeddedDatabase startOrJoin(Path dataDir, int port) {
    if (isListening(port)) {
      LOG.info("Port {} is in use: using the PostgreSQL server already running there", port);
      return new EmbeddedDatabase(null, port);
    }
    return new EmbeddedDatabase(start(dataDir.resolve("pg"), port, true), port);
  }

  /**
   * Starts a server that this instance owns in {@code pgDir}, tuned for tests: commits are not flushed to disk.
   * Tests use it to stop and restart a database of their own.
   */
  public static EmbeddedDatabase startOwned(Path pgDir, int port) {
    return new EmbeddedDatabase(start(pgDir, port, false), port);
  }

  private static EmbeddedPostgres start(Path pgDir, int port, boolean durable) {
    try {
      Files.createDirectories(pgDir);
      LOG.info("Starting embedded PostgreSQL on {}:{} with data in {}", LOOPBACK, port, pgDir.toAbsolutePath());
      // The library's defaults are for throwaway test databases (no fsync, asynchronous commit); a node's data
      // must survive a crash, so it gets PostgreSQL's own durable settings back.
      String flush = durable ? "on" : "off";
      return EmbeddedPostgres.builder()
          .setDataDirectory(pgDir)
          .setCleanDataDirectory(false)
          .setPort(port)
          .setServerConfig("listen_addresses", LOOPBACK)
          .setServerConfig("fsync", flush)
          .setServerConfig("synchronous_commit", flush)
          .setServerConfig("full_page_writes", flush)
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start in " + pgDir, e);
    }
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(LOOPBACK)
        .setPort(port)
        .setUser(SUPERUSER)
        .setDatabase(DATABASE);
  }

  public String url() {
    return "postgresql://" + SUPERUSER + "@" + LOOPBACK + ":" + port + "/" + DATABASE;
  }

  public boolean owned() {
    return server != null;
  }

  /** Stops the server if this node started it; a shared one belongs to the node that started it. */
  @Override
  public void close() {
    if (server == null) {
      return;
    }
    try {
      server.close();
      LOG.info("Embedded PostgreSQL on port {} stopped", port);
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL on port {} did not stop cleanly: {}", port, e.getMessage());
    }
  }

  private static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
