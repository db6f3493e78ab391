package dev.herald.delivery.step;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What the attempt log keeps of a receiver's answer: all of it up to the cap, however it arrives. */
class ResponseReadingTest {

    /** A socket hands a response over in pieces: here at most 7 bytes per read. */
    static InputStream trickling(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    static String text(int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < length; i++) {
            b.append(i % 10);
        }
        return b.toString();
    }

    @Test
    void shortAndEmptyAnswersAreKeptWhole() throws IOException {
        assertThat(ReceiverResponse.readCapped(trickling("ok".getBytes(StandardCharsets.UTF_8)), 16384).text()).isEqualTo("ok");
        assertThat(ReceiverResponse.readCapped(trickling(new byte[0]), 16384).text()).isEmpty();
    }

    @Test
    void longAnswersAreReadPastTheFirstBufferUpToTheCap() throws IOException {
        String body = text(5000);
        assertThat(ReceiverResponse.readCapped(trickling(body.getBytes(StandardCharsets.UTF_8)), 16384).text()).isEqualTo(body);
        assertThat(ReceiverResponse.readCapped(trickling(text(20000).getBytes(StandardCharsets.UTF_8)), 16384).text())
                .isEqualTo(text(16384));
        assertThat(ReceiverResponse.readCapped(trickling("abcdef".getBytes(StandardCharsets.UTF_8)), 4).text()).isEqualTo("abcd");
        // At the cap the rest is not read: ReadResponse closes the connection instead of draining it.
        assertThat(ReceiverResponse.readCapped(trickling("abcdef".getBytes(StandardCharsets.UTF_8)), 4).full()).isTrue();
        assertThat(ReceiverResponse.readCapped(trickling("abc".getBytes(StandardCharsets.UTF_8)), 4).full()).isFalse();
    }

    @Test
    void utf8TextSurvivesReadsThatSplitACharacter() throws IOException {
        String body = "réponse ✓ ".repeat(100);
        assertThat(ReceiverResponse.readCapped(trickling(body.getBytes(StandardCharsets.UTF_8)), 16384).text()).isEqualTo(body);
    }
}
