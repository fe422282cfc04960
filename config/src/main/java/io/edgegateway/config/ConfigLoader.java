package io.edgegateway.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Loads a HOCON file into a validated {@link GatewayConfig}: the file falls back on reference.conf,
 * {@code ${?VAR}} substitutions resolve against environment variables and system properties, and
 * every problem found is reported at once in an {@link InvalidConfigException}.
 */
public final class ConfigLoader {

    private static final String REFERENCE = "reference.conf";

    private ConfigLoader() {
    }

    /** Loads a file; includes are relative to it. */
    public static GatewayConfig load(Path file) throws InvalidConfigException {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw single(name, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw single(name, "not a regular file");
        }
        return load(name, () -> ConfigFactory.parseFile(file.toFile(), options().setAllowMissing(false)));
    }

    /** Loads a resource of this module's class path, e.g. {@code demo.conf}. */
    public static GatewayConfig loadResource(String classpathResource) throws InvalidConfigException {
        if (ConfigLoader.class.getClassLoader().getResource(classpathResource) == null) {
            throw single(classpathResource, "no such resource on the class path");
        }
        return load(classpathResource, () -> ConfigFactory.parseResources(
                ConfigLoader.class.getClassLoader(), classpathResource, options().setAllowMissing(false)));
    }

    /** Loads HOCON text; problems name {@code originDescription} as their file. */
    public static GatewayConfig parse(String hocon, String originDescription) throws InvalidConfigException {
        return load(originDescription, () -> ConfigFactory.parseString(hocon, options().setOriginDescription(originDescription)));
    }

    private static GatewayConfig load(String name, Supplier<Config> parse) throws InvalidConfigException {
        Problems problems = new Problems();
        Optional<GatewayConfig> config = Optional.empty();
        try {
            Config user = parse.get();
            Config resolved = user
                    .withFallback(ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), REFERENCE, options()))
                    .withFallback(substitutionOnlySystemProperties())
                    .resolve();
            GatewayConfigReader.checkRootKeys(user.root(), problems);
            config = GatewayConfigReader.read(resolved.root(), problems);
        } catch (ConfigException e) {
            problems.add(problemOf(e, name));
        }
        if (!problems.isEmpty()) {
            throw problems.toException();
        }
        return config.orElseThrow(() -> new IllegalStateException("no problem reported, yet no configuration was built"));
    }

    private static ConfigParseOptions options() {
        return ConfigParseOptions.defaults();
    }

    /**
     * System properties are the lowest fallback so that {@code ${?NAME}} can be set with
     * {@code -DNAME=...} as well as through the environment; read afresh on every load (Typesafe's
     * own copy is cached) and without a {@code gateway} subtree, so they never set gateway keys.
     */
    private static Config substitutionOnlySystemProperties() {
        Properties properties = (Properties) System.getProperties().clone();
        return ConfigFactory.parseProperties(properties, options().setOriginDescription("system properties"))
                .withoutPath(GatewayConfigReader.ROOT);
    }

    private static ConfigProblem problemOf(ConfigException e, String name) {
        String message = e.getMessage();
        if (e.origin() == null) {
            return new ConfigProblem(name, -1, message);
        }
        String prefix = e.origin().description() + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return ConfigProblem.at(e.origin(), message);
    }

    private static InvalidConfigException single(String file, String message) {
        Problems problems = new Problems();
        problems.add(new ConfigProblem(file, -1, message));
        return problems.toException();
    }
}
