package dev.syncline.gateway.node;

/** What the HTTP layer may know about the cluster this node belongs to. */
public interface ClusterView {
  String nodeId();

  int members();

  boolean active();

  /** The ids of the cluster's members, this node's included. */
  java.util.List<String> nodeIds();
}
