package dev.herald.ui;

import org.apache.camel.builder.RouteBuilder;

/**
 * The dashboard (issue 16): static files under classpath {@code ui/}, served on the API's
 * server at {@code /ui/}. No API key is needed to load them; the pages call {@code /v1} with
 * the key the user signs in with. A refused path is the API's JSON 404 (route configuration
 * {@code api}). HEAD answers as GET without the body (the HTTP server leaves it out), so a
 * quick check of {@code /ui/} finds the dashboard.
 */
public class UiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        if (!Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{herald.ui.enabled}}"))) {
            return;
        }
        UiFiles files = UiFiles.load();
        getContext().getRegistry().bind("uiHeaderFilter", new UiHeaderFilter());
        from("platform-http:/ui?matchOnUriPrefix=true&httpMethodRestrict=GET,HEAD&headerFilterStrategy=#uiHeaderFilter")
                .routeId("ui").routeConfigurationId("api")
                .process(new UiPath())
                .process(new UiFile(files))
                .process(new UiRespond());
    }
}
