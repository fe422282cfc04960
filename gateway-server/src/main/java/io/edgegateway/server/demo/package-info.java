/** The bundled upstream of the embedded demo ({@code --demo}). */
package io.edgegateway.server.demo;
