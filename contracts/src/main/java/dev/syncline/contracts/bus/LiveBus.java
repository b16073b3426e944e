package dev.syncline.contracts.bus;

/**
 * Live data's cluster traffic: each node that has subscribers to a collection consumes that collection's clustered
 * address, and the node where a change commits publishes the storage change message there (see
 * {@link StorageBus#CHANGES} for its fields). One consumer per node and collection, never one per connection.
 */
public final class LiveBus {
  private static final String COLLECTION_PREFIX = "syncline.live.collection.";

  private LiveBus() {
  }

  public static String collection(String bucketId, String collectionId) {
    return COLLECTION_PREFIX + bucketId + "/" + collectionId;
  }
}
