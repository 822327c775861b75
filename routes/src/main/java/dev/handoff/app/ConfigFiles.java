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

    static Settings load(Path file, UnaryOperator<String> env) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the configuration file (" + e.getMessage() + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            values.put(key, resolve(key, p.getProperty(key), env));
        }
        return new Settings(values);
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
