package dev.herald.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The dispatcher. {@code dispatch} takes tickets off the queue; {@code attempt} makes
 * one signed POST and records it. A failed attempt whose next delay is short throws
 * {@link RetryLater}, and the redelivery policy here calls {@code attempt} again after
 * that delay without holding a thread; longer delays are left to the scheduler.
 */
public class DispatchRoutes extends RouteBuilder {

    /** Redirects are not followed; status and headers are read by us, not turned into exceptions. */
    static final String RECEIVER = "http://webhook-receiver?throwExceptionOnFailure=false&followRedirects=false"
            + "&copyHeaders=false&disableStreamCache=true";

    @Override
    public void configure() {
        DispatchQueue queue = getContext().getRegistry().lookupByNameAndType("dispatchQueue", DispatchQueue.class);
        // Plain processors, not bean calls: Camel's bean binding (method lookup, parameter
        // conversion, reflection) ran four times per delivery and showed in profiles.
        Dispatcher dispatcher = getContext().getRegistry().lookupByNameAndType("dispatcher", Dispatcher.class);
        // No stream caching: tickets are objects, and finishAttempt reads the response stream itself (capped).
        from(queue.consumerUri()).routeId("dispatch").routeConfigurationId("core").noStreamCaching()
                .onException(RetryLater.class)
                    .maximumRedeliveries(-1)
                    .asyncDelayedRedelivery()
                    .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                    .logStackTrace(false)
                    .handled(true)
                .end()
                .process(e -> dispatcher.begin(e.getMessage().getBody(DispatchTicket.class), e))
                // An ended attempt passes its slot to a delivery parked at the same endpoint, and
                // this exchange goes on with it: no trip through the queue, no thread woken.
                .loopDoWhile(exchangeProperty(Dispatcher.JOB).isNotNull())
                    .to("direct:attempt")
                    .process(dispatcher::next)
                .end();

        from("direct:attempt").routeId("attempt").noStreamCaching()
                .errorHandler(noErrorHandler())
                .process(dispatcher::startAttempt)
                .filter(exchangeProperty(Dispatcher.SKIP).isNull())
                    .removeHeaders("*")
                    .process(dispatcher::applyRequest)
                    .doTry()
                        .to(RECEIVER)
                    .doCatch(Exception.class)
                        .setProperty(Dispatcher.WIRE_FAILURE, exchangeProperty(Exchange.EXCEPTION_CAUGHT))
                    .end()
                    .process(dispatcher::finishAttempt)
                .end();
    }
}
