package dev.herald.error;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExcerptTest {

    @Test
    void shortValuesAreQuotedWhole() {
        assertThat(Excerpt.of("x".repeat(200))).isEqualTo("x".repeat(200));
        assertThat(Excerpt.of(null)).isEqualTo("null");
    }

    @Test
    void longValuesAreCutWithAnEllipsisAndTheirLength() {
        assertThat(Excerpt.of("x".repeat(100_000))).isEqualTo("x".repeat(200) + "\u2026 (100000 characters)");
        // Never half of a surrogate pair: the JSON answer would carry an unpaired surrogate.
        String cut = Excerpt.of("x".repeat(199) + "\uD83D\uDE00".repeat(10));
        assertThat(cut).startsWith("x".repeat(199) + "\u2026");
    }

    @Test
    void aRefusalCarriesABoundedMessageAndField() {
        HeraldException e = HeraldException.invalid("headers." + "H".repeat(50_000), "m".repeat(50_000));
        assertThat(e.field()).startsWith("headers.HHH").hasSizeLessThan(250);
        assertThat(e.getMessage()).startsWith("mmm").hasSizeLessThan(1100);
        assertThat(HeraldException.notFound("webhook", "hook_" + "x".repeat(5000)).getMessage()).hasSizeLessThan(300);
        assertThat(HeraldException.invalid(null, "fine").field()).isNull();
    }
}
