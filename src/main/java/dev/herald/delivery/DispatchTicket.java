package dev.herald.delivery;

/** What travels on the in-memory dispatch queue: a delivery row and the lease token that owns it. */
public record DispatchTicket(String deliveryId, String leaseToken, String trigger) {
}
