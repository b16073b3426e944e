package dev.syncline.push.live;

import io.vertx.core.json.JsonObject;

/**
 * What one record change means to one filtered subscription, Snorky's rule: an update that brings a record into
 * the filter is an insert, one that takes it out is a delete, and a change outside the filter is nothing.
 */
public enum Delta {
  INSERT, UPDATE, DELETE, NONE;

  public static Delta of(LiveFilter filter, JsonObject before, JsonObject after) {
    boolean was = filter.matches(before);
    boolean is = filter.matches(after);
    if (was && is) {
      return UPDATE;
    }
    if (is) {
      return INSERT;
    }
    return was ? DELETE : NONE;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
