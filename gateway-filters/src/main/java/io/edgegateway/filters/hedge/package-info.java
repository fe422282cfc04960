/**
 * Hedged upstream calls: which requests may be sent twice, after how long, within what budget.
 * The server sends the copy ({@code io.edgegateway.server.proxy.HedgeAttempt}).
 */
package io.edgegateway.filters.hedge;
