/** The admin port: {@code /health}, {@code /ready}, {@code /metrics}. */
package io.edgegateway.server.admin;
