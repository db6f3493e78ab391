package dev.herald.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The database: a HikariCP pool on {@code herald.db.url} (embedded H2 file by default,
 * PostgreSQL for several instances), migrated by Flyway before any route starts.
 */
@Configuration
public class StoreConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(StoreConfiguration.class);

    @BindToRegistry("heraldDatabase")
    public Database database(CamelContext context,
                             @PropertyInject("herald.db.url") String url,
                             @PropertyInject("herald.db.user") String user,
                             @PropertyInject(value = "herald.db.password", defaultValue = "") String password,
                             @PropertyInject("herald.db.pool-size") int poolSize,
                             @PropertyInject("herald.data.dir") String dataDir) throws Exception {
        if (url.startsWith("jdbc:h2:file:")) {
            try {
                Files.createDirectories(Path.of(dataDir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("herald-db");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        LOG.info("Database ready at {}", url);
        // Close the pool when Camel stops, after the routes that use it.
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                ds.close();
            }
        }, true, true);
        return new Database(ds);
    }
}
