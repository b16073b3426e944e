package dev.syncline.it.support;

import dev.syncline.storage.embedded.EmbeddedDatabase;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server for the whole test run, chosen in this order: the server named by
 * {@code -Dsyncline.test.pg.url=postgresql://user:pass@host:port/db}; a Testcontainers container when a Docker
 * engine answers; otherwise an embedded server (zonky) on a free loopback port.
 *
 * <p>Tests never share data: each asks for a {@link #newDatabase() fresh database} with its own owner role.
 */
public final class PostgresFixture {
  private static PostgresFixture shared;

  private final PgConnectOptions admin;
  private final String origin;

  private PostgresFixture(PgConnectOptions admin, String origin) {
    this.admin = admin;
    this.origin = origin;
  }

  public static synchronized PostgresFixture shared() {
    if (shared == null) {
      shared = start();
      LoggerFactory.getLogger(PostgresFixture.class).info("Tests use the {} PostgreSQL at {}:{}", shared.origin,
          shared.admin.getHost(), shared.admin.getPort());
    }
    return shared;
  }

  private static PostgresFixture start() {
    String url = System.getProperty("syncline.test.pg.url", "");
    if (!url.isBlank()) {
      return new PostgresFixture(PgConnectOptions.fromUri(url), "external");
    }
    if (dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      PgConnectOptions options = new PgConnectOptions()
          .setHost(container.getHost())
          .setPort(container.getMappedPort(5432))
          .setDatabase(container.getDatabaseName())
          .setUser(container.getUsername())
          .setPassword(container.getPassword());
      return new PostgresFixture(options, "testcontainers");
    }
    try {
      Path dir = Files.createTempDirectory("syncline-test-pg");
      EmbeddedDatabase embedded = EmbeddedDatabase.startOwned(dir, FreePorts.next());
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
      return new PostgresFixture(embedded.connectOptions(), "embedded");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no directory for the embedded test database", e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Where the server came from: external, testcontainers or embedded. */
  public String origin() {
    return origin;
  }

  /** A new, empty database owned by a new role with a password; returns its postgresql:// URL. */
  public TestDatabase newDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String password = "pw-" + UUID.randomUUID();
    execute(admin.getDatabase(),
        "CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'",
        "CREATE DATABASE " + name + " OWNER " + name);
    return new TestDatabase(admin.getHost(), admin.getPort(), name, name, password);
  }

  /** Runs statements as the administrator in the given database. */
  public void execute(String database, String... statements) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl(database), admin.getUser(),
        admin.getPassword()); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test database setup failed: " + e.getMessage(), e);
    }
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://" + admin.getHost() + ":" + admin.getPort() + "/" + database;
  }
}
