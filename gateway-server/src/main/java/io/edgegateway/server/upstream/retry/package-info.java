/**
 * Retries of upstream calls. The budget lives here; whether an outcome deserves a retry, and the
 * retry itself, are kept apart from it.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.server.upstream.retry.RetryBudget}: retries as a share of a route's
 *       requests over ten seconds, plus a floor so a quiet route can still retry.</li>
 * </ul>
 */
package io.edgegateway.server.upstream.retry;
