/** Reload on file change or {@code SIGHUP}, drain on {@code SIGTERM}. */
package io.edgegateway.server.lifecycle;
