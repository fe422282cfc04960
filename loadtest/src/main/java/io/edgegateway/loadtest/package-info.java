/**
 * The load-test tool, {@code loadtest.jar}: a mock upstream and an open-loop load generator.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.loadtest.LoadtestMain} - the command line, one subcommand per capability</li>
 *   <li>{@link io.edgegateway.loadtest.upstream.MockUpstream} - the mock upstream, also used in-process by tests</li>
 *   <li>{@link io.edgegateway.loadtest.analysis.SloEvaluation} - a run judged against a windowed latency SLO; {@code Knee} finds a sweep's knee</li>
 *   <li>{@link io.edgegateway.loadtest.report.JsonReport} and {@link io.edgegateway.loadtest.report.HtmlReport} - the run's report for scripts and for people</li>
 * </ul>
 */
package io.edgegateway.loadtest;
