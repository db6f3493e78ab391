package dev.herald.signing;

import java.util.Map;

/** One way of signing a delivery, as some family of receivers expects it. */
public interface SignatureDialect {

    /**
     * @return the headers (name to value, in a stable insertion order) to add to one delivery
     *         attempt; a fresh mutable map the caller may keep
     */
    Map<String, String> sign(SigningInput in);
}
