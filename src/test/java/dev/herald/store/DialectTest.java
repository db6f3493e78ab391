package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The database is decided once, from herald.db.url; a URL Herald does not run on is refused without quoting it. */
class DialectTest {

    @Test
    void theUrlDecidesTheDialect() {
        assertThat(Dialect.of("jdbc:h2:file:./data/herald;DB_CLOSE_ON_EXIT=FALSE")).isEqualTo(Dialect.H2_FILE);
        assertThat(Dialect.of("jdbc:h2:mem:trial")).isEqualTo(Dialect.H2_MEMORY);
        assertThat(Dialect.of("jdbc:postgresql://db:5432/herald")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.POSTGRESQL.claimsSkipLocked()).isTrue();
        assertThat(Dialect.H2_FILE.claimsSkipLocked()).isFalse();
        assertThat(Dialect.H2_FILE.h2File()).isTrue();
        assertThat(Dialect.H2_MEMORY.h2File()).isFalse();
    }

    @Test
    void otherUrlsAreRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> Dialect.of("jdbc:mysql://db/herald?password=hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("herald.db.url")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Dialect.of("jdbc:h2:tcp://db/herald"))
                .hasMessageContaining("jdbc:h2:file:");
    }
}
