package dev.herald.ui;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * The headers of the dashboard route's answers. platform-http's default strategy drops
 * Cache-Control (and the like) from responses; this one passes every header the route sets
 * and still drops Camel's own, so none of them leak.
 */
public final class UiHeaderFilter extends DefaultHeaderFilterStrategy {

    public UiHeaderFilter() {
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setLowerCase(true);
    }
}
