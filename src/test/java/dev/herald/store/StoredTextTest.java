package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/** What of a receiver's text is stored as it is, and what becomes U+FFFD. */
class StoredTextTest {

    @Test
    void cleanTextIsTheSameInstance() {
        String clean = "{\"ok\":true}\tline\r\nnext é ✓ \uD83D\uDE00 \u007F\u0085\uFFFE";
        assertThat(StoredText.sanitize(clean)).isSameAs(clean);
        assertThat(StoredText.sanitize("")).isEmpty();
        assertThat(StoredText.sanitize((String) null)).isNull();
    }

    @Test
    void nulControlsAndUnpairedSurrogatesBecomeReplacementCharacters() {
        assertThat(StoredText.sanitize("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(StoredText.sanitize("\u0001\u0008\u000B\u000C\u001B\u001F")).isEqualTo("\uFFFD".repeat(6));
        assertThat(StoredText.sanitize("x\uD800y")).isEqualTo("x\uFFFDy");
        assertThat(StoredText.sanitize("\uDC00z")).isEqualTo("\uFFFDz");
        assertThat(StoredText.sanitize("end\uD83D")).isEqualTo("end\uFFFD");
        // A lone high surrogate before a valid pair: only the lone one goes.
        assertThat(StoredText.sanitize("\uD800\uD83D\uDE00")).isEqualTo("\uFFFD\uD83D\uDE00");
        // One for one: the length stays.
        String dirty = "ok\u0000x\uFFFD(\u0001!";
        assertThat(StoredText.sanitize(dirty)).isEqualTo("ok\uFFFDx\uFFFD(\uFFFD!").hasSameSizeAs(dirty);
    }

    @Test
    void fitCutsWithoutSplittingAPair() {
        assertThat(StoredText.fit("abc\uD83D\uDE00", 4)).isEqualTo("abc");
        assertThat(StoredText.fit("abc\uD83D\uDE00", 5)).isEqualTo("abc\uD83D\uDE00");
        assertThat(StoredText.fit("a\u0000cdef", 3)).isEqualTo("a\uFFFDc");
        assertThat(StoredText.fit(null, 3)).isNull();
    }

    @Test
    void headersAreTheSameMapWhenClean() {
        Map<String, String> clean = Map.of("Content-Type", "text/plain", "X-A", "b");
        assertThat(StoredText.sanitize(clean)).isSameAs(clean);
        Map<String, String> dirty = new LinkedHashMap<>();
        dirty.put("X-Odd\u0000", "v\u0001");
        dirty.put("X-Fine", "fine");
        assertThat(StoredText.sanitize(dirty)).containsExactly(Map.entry("X-Odd\uFFFD", "v\uFFFD"), Map.entry("X-Fine", "fine"));
    }
}
