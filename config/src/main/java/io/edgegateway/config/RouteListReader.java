package io.edgegateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code gateway.routes} and checks that route ids are unique. */
final class RouteListReader {

    private RouteListReader() {
    }

    static Optional<List<RouteConfig>> read(ConfigValueReader routes, RouteDefaults defaults) {
        Map<String, ConfigValueReader> firstById = new HashMap<>();
        return routes.listOf("a list of routes", element -> {
            Optional<ConfigReader> route = element.object(
                    "a route { id = ..., match { path-prefix = ... }, upstreams = [...] }");
            route.flatMap(r -> r.value("id")).ifPresent(id -> checkUnique(id, firstById));
            return route.flatMap(r -> RouteConfigReader.read(r, defaults));
        });
    }

    private static void checkUnique(ConfigValueReader id, Map<String, ConfigValueReader> firstById) {
        if (!(id.value().unwrapped() instanceof String text)) {
            return;
        }
        ConfigValueReader first = firstById.putIfAbsent(text, id);
        if (first != null) {
            id.problem("duplicate route id \"" + text + "\" (already used by " + first.path()
                    + " at " + ConfigProblem.at(first.origin(), "").location() + ")");
        }
    }
}
