/**
 * The push service's connection side: user agents' WebSockets and delivery.
 *
 * <p>The gateway owns the public HTTP server, so it accepts the WebSocket upgrade at {@code /push} (before any
 * body handling) and hands the open socket to {@link dev.syncline.push.PushSockets}, which the launcher obtains
 * from this node's {@link dev.syncline.push.PushVerticle}. The push verticle does not open a listener of its own:
 * one public port keeps {@code dom.push.serverURL} and the endpoint URLs on the same origin, and Vert.x would
 * otherwise round-robin plain HTTP requests between two servers sharing the port. A connection therefore runs on
 * the gateway's event loop, while deliveries arrive on this verticle's context; {@link
 * dev.syncline.push.connection.PushConnection} hands them over with {@code runOnContext}, so its state is only
 * ever touched on one thread.
 *
 * <p>Each node has one clustered delivery address ({@code PushBus.node(id)}) shared by all its connections. Which
 * node holds each uaid is recorded with the uaid in PostgreSQL at hello, and the statement that stores a message
 * answers it, so routing costs no lookup of its own. Messages with a TTL are stored before the sender hears 201,
 * so a delivery lost between nodes only delays a message until the client's next hello.
 */
package dev.syncline.push;
