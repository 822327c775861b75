package dev.handoff.app;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code application.properties}. Values may name environment variables as
 * {@code ${env:NAME}} so secrets stay out of the file; relative paths stay relative to the
 * working directory.
 */
public final class ConfigFiles {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private ConfigFiles() {
    }

    public static Settings load(Path file) {
        return load(file, System::getenv);
    }

    /**
     * Reads only the keys {@code wanted} accepts, so a command that needs the ledger alone (backtest)
     * does not require the environment variables of the secrets it never uses.
     */
    public static Settings loadKeys(Path file, java.util.function.Predicate<String> wanted) {
        return load(file, System::getenv, wanted);
    }

    static Settings load(Path file, UnaryOperator<String> env) {
        return load(file, env, key -> true);
    }

    private static Settings load(Path file, UnaryOperator<String> env, java.util.function.Predicate<String> wanted) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the configuration file (" + e.getMessage() + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!wanted.test(key)) {
                continue;
            }
            values.put(key, resolve(key, p.getProperty(key), env));
        }
        return Settings.withEnvironment(values, env);
    }

    private static String resolve(String key, String value, UnaryOperator<String> env) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                throw new ConfigException(key, "environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
