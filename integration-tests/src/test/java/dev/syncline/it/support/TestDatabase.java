package dev.syncline.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A database of its own for one test, with the URL a node is configured with. */
public record TestDatabase(String host, int port, String name, String user, String password) {

  public String url() {
    return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + name;
  }

  /** A connection of the test's own, for holding a lock or a transaction open while a node works. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + name, user, password);
  }

  /** The first column of the first row of a query, as a long; for assertions on what a node wrote. */
  public long queryLong(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query as text; null when there is no row or the value is null. */
  public String queryString(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
