package dev.herald.api;

import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * ApiAuth for the calls only the operator may make (ApiRoutes.operatorCall): any application's key,
 * read-only or not, gets 404 in the words of a path nothing serves (ApiErrors.noRoute), so these
 * calls tell it nothing, not even that it may not change things here.
 */
public final class OperatorOnly implements Processor {

    private final ApiAuth auth;

    public OperatorOnly(ApiAuth auth) {
        this.auth = auth;
    }

    @Override
    public void process(Exchange exchange) {
        if (!(auth.authenticate(exchange) instanceof Scope.Operator)) {
            throw ApiErrors.noRoute(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "", String.class));
        }
        exchange.setProperty(Scope.PROPERTY, Scope.OPERATOR);
    }
}
