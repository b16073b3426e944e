package dev.syncline.storage.schema;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema to the version this build expects, from the versioned scripts in {@code db/migration}.
 *
 * <p>Flyway takes a PostgreSQL advisory lock for the run, so nodes that start together against one database
 * apply each script once. Blocking; call off the event loop.
 */
public final class Migrations {
  private Migrations() {
  }

  public static String migrate(PgConnectOptions options) {
    String jdbcUrl = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase()
        + "?connectTimeout=5&socketTimeout=60";
    MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(jdbcUrl, options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
  }
}
