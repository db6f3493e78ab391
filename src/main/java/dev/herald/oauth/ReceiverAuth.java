package dev.herald.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How Herald authenticates to a webhook's receiver, beyond the signature: a webhook without any
 * has none ({@code null}). Its secrets are sealed at rest and masked in every view.
 */
public sealed interface ReceiverAuth permits ClientCredentials {

    String FIELD = "auth";

    /** The API view, secrets masked. */
    ObjectNode view();

    /** The stored column, secrets passed through {@code seal}. */
    String toStored(UnaryOperator<String> seal);


    /** From the request's {@code auth}: null for none; on PATCH, secrets left out keep {@code current}'s. */
    static ReceiverAuth parse(JsonNode node, ReceiverAuth current) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.path("type").isTextual()) {
            throw HeraldException.invalid(FIELD, "auth must be an object with a type (oauth2_client_credentials),"
                    + " or null for none");
        }
        String type = node.get("type").textValue();
        if (ClientCredentials.TYPE.equals(type)) {
            return ClientCredentials.parse(node, current instanceof ClientCredentials c ? c : null);
        }
        throw HeraldException.invalid(FIELD + ".type", "unknown type '" + Excerpt.of(type)
                + "'; expected " + ClientCredentials.TYPE);
    }

    /** A stored column's secrets as stored (sealed or not), for the start's check that each opens. */
    static List<String> storedSecrets(JsonNode stored) {
        return ClientCredentials.storedSecrets(stored);
    }

    /** Reads {@link #toStored}'s output back, secrets through {@code unseal}; null for none. */
    static ReceiverAuth fromStored(JsonNode stored, UnaryOperator<String> unseal) {
        if (stored == null || stored.isNull()) {
            return null;
        }
        return ClientCredentials.fromStored(stored, unseal);
    }
}
