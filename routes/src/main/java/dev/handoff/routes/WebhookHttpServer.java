package dev.handoff.routes;

import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Vert.x server behind {@code platform-http:} endpoints. The body limit is enforced
 * before the body is read when the request declares its length (refused with the same JSON answer and
 * log line as every other webhook refusal), and while a chunked body streams in (Vert.x's own 413),
 * so an oversized body is never buffered.
 */
public final class WebhookHttpServer extends MainHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHttpServer.class);

    private final int maxBodyBytes;

    public WebhookHttpServer(int port, int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        setPort(port);
        setMaxBodySize((long) maxBodyBytes);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Runs before every route: a declared length over the limit is refused before any byte is read.
        getRouter().route().order(-1000).handler(ctx -> {
            long declared = declaredLength(ctx.request().getHeader("Content-Length"));
            if (declared > maxBodyBytes) {
                LOG.warn("{}: refused a request to {} with 413: body of {} bytes over the {} byte limit",
                        WebhookRoute.ROUTE_ID, ctx.normalizedPath(), declared, maxBodyBytes);
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                        .end("{\"error\":\"TOO_LARGE\",\"message\":\"body of " + declared + " bytes; the limit is "
                                + maxBodyBytes + "\"}");
            } else {
                ctx.next();
            }
        });
    }

    private static long declaredLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
