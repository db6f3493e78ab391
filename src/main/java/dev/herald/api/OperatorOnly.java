package dev.herald.api;

import dev.herald.error.HeraldException;
import dev.herald.tenancy.Scope;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The step after ApiAuth on the calls only the operator may make (ApiRoutes.operatorCall): with an
 * application's key they answer 404, as a path that does not exist, so that key learns nothing of
 * what is behind them.
 */
public final class OperatorOnly implements Processor {

    @Override
    public void process(Exchange exchange) {
        if (!(Scope.of(exchange) instanceof Scope.Operator)) {
            throw new HeraldException(404, "not_found", "nothing here answers this call for this API key", null);
        }
    }
}
