package dev.syncline.storage.listing;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** A statement assembled from fixed fragments, with every value bound as a {@code $n} parameter. */
public final class SqlText {
  private final StringBuilder sql = new StringBuilder();
  private final List<Object> params = new ArrayList<>();

  SqlText append(String fragment) {
    sql.append(fragment);
    return this;
  }

  /** Binds a value and returns its placeholder. */
  String bind(Object value) {
    params.add(value);
    return "$" + params.size();
  }

  public String sql() {
    return sql.toString();
  }

  public Tuple tuple() {
    // Added one by one: Tuple.of/from would spread an array parameter into several.
    Tuple tuple = Tuple.tuple();
    params.forEach(tuple::addValue);
    return tuple;
  }
}
