package dev.herald.api;

import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The step after ApiAuth on the calls only the operator may make (ApiRoutes.operatorCall): with an
 * application's key they answer 404 with the words of a path nothing serves (ApiErrors.noRoute).
 */
public final class OperatorOnly implements Processor {

    @Override
    public void process(Exchange exchange) {
        if (!(Scope.of(exchange) instanceof Scope.Operator)) {
            throw ApiErrors.noSuchCall(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "", String.class));
        }
    }
}
