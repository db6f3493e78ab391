package dev.herald;

import org.apache.camel.main.Main;

/**
 * Starts Herald: Camel Main scans this package for {@code @Configuration} classes
 * and route builders, loads the YAML source routes and reads application.properties
 * from the classpath, then from the working directory (operator overrides).
 */
public final class Herald {

    public static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties";

    private Herald() {
    }

    public static Main create() {
        Main main = new Main(Herald.class);
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        return main;
    }

    public static void main(String[] args) throws Exception {
        System.exit(create().run(args));
    }
}
