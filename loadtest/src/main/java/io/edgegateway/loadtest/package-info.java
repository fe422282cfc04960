/**
 * The load-test tool, {@code loadtest.jar}: a mock upstream and an open-loop load generator.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.loadtest.LoadtestMain} - the command line, one subcommand per capability</li>
 *   <li>{@link io.edgegateway.loadtest.upstream.MockUpstream} - the mock upstream, also used in-process by tests</li>
 * </ul>
 */
package io.edgegateway.loadtest;
