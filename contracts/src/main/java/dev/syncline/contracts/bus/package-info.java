/**
 * Every event-bus address, request field and reply field Syncline uses, in one place.
 *
 * <p>Addresses of the storage and token verticles are served by local consumers only: a request is answered on
 * the node that received it. Addresses built from a node id are clustered, and are the only traffic that
 * deliberately crosses nodes.
 */
package dev.syncline.contracts.bus;
