/**
 * The gateway's configuration: HOCON read into immutable, validated records. Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.config.ConfigLoader}, which loads a file and reports every mistake at once;</li>
 *   <li>{@link io.edgegateway.config.GatewayConfig}, the root of the records;</li>
 *   <li>{@code reference.conf}, every key with its default;</li>
 *   <li>{@code ConfigReader} and the {@code *Reader} classes, one per section, for validation.</li>
 * </ul>
 */
package io.edgegateway.config;
